/**
 * Test helper for crash.test.ts, run in a child process (`node --import tsx crash-child.ts DIR
 * SCALE NOW`): opens the store in DIR and loads the demo, logging its stages to stdout so the
 * parent can kill it with SIGKILL at a chosen moment. With CRASH_PAUSE_AT=<stage> the child
 * stops right after logging that stage (inside the generation's transaction) and prints
 * 'child.paused', so the kill lands exactly there however busy the machine is.
 */
import { openStore } from '../db/store';
import { createLogger, type Logger } from '../log';
import { ensureDemo, type DemoScale } from './index';

function pausingLogger(base: Logger, stage: string | undefined): Logger {
  if (!stage) return base;
  return {
    ...base,
    info(msg, fields) {
      base.info(msg, fields);
      if (msg === 'demo.stage' && fields?.['stage'] === stage) {
        process.stdout.write('child.paused\n');
        // Block this thread (the transaction stays open) until the parent kills the process.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
      }
    },
  };
}

async function main(): Promise<void> {
  const [dir, scale, now] = process.argv.slice(2);
  if (!dir || (scale !== 'town' && scale !== 'district') || !now) throw new Error('usage: crash-child.ts DIR town|district NOW');
  const log = createLogger({ console: true, level: 'info' });
  const db = openStore(dir, { log });
  process.stdout.write('child.opened\n');
  await ensureDemo(db, { name: 'hangzhou', scale: scale satisfies DemoScale, now: Number(now), log: pausingLogger(log, process.env['CRASH_PAUSE_AT']) });
  db.close();
  process.stdout.write('child.done\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

/**
 * Test helper for crash.test.ts, run in a child process (`node --import tsx crash-child.ts DIR
 * SCALE NOW`): opens the store in DIR and loads the demo, logging its stages to stdout so the
 * parent can kill it with SIGKILL at a chosen moment.
 */
import { openStore } from '../db/store';
import { createLogger } from '../log';
import { ensureDemo, type DemoScale } from './index';

async function main(): Promise<void> {
  const [dir, scale, now] = process.argv.slice(2);
  if (!dir || (scale !== 'town' && scale !== 'district') || !now) throw new Error('usage: crash-child.ts DIR town|district NOW');
  const log = createLogger({ console: true, level: 'info' });
  const db = openStore(dir, { log });
  process.stdout.write('child.opened\n');
  await ensureDemo(db, { name: 'hangzhou', scale: scale satisfies DemoScale, now: Number(now), log });
  db.close();
  process.stdout.write('child.done\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

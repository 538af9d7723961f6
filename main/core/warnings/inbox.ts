/**
 * The watched folder for offline delivery of CAP alerts: `<dataDir>/cap-inbox`. Every `*.xml`
 * file that has stopped changing is taken: accepted files move to `processed/`, refused ones to
 * `rejected/` with a `.error.txt` next to them saying why. Writers should write elsewhere and
 * rename into the folder (atomic), but a file copied in slowly is also waited for.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';

export interface InboxOptions {
  dir: string;
  /** Poll as well as watch (fs.watch misses events on some file systems). */
  pollMs?: number;
  /** A file must be unchanged this long before it is taken. */
  settleMs?: number;
  log: Logger;
  /** Handle one document; throw to refuse it (the message goes to the .error.txt). */
  accept(xml: string, file: string): Promise<void> | void;
}

export interface Inbox {
  readonly dir: string;
  /** Scan now; resolves with the number of files taken. */
  scan(): Promise<number>;
  close(): void;
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

export function watchInbox(opts: InboxOptions): Inbox {
  const dir = opts.dir;
  const processed = path.join(dir, 'processed');
  const rejected = path.join(dir, 'rejected');
  for (const d of [dir, processed, rejected]) fs.mkdirSync(d, { recursive: true });
  const settleMs = opts.settleMs ?? 300;
  let closed = false;
  let scanning: Promise<number> | null = null;
  let again = false;

  const move = (from: string, toDir: string): string => {
    const target = path.join(toDir, `${stamp()}_${path.basename(from)}`);
    fs.renameSync(from, target);
    return target;
  };

  const once = async (): Promise<number> => {
    let taken = 0;
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.xml'));
    } catch (err) {
      opts.log.error('cap.inbox_unreadable', { dir, error: String(err) });
      return 0;
    }
    names.sort();
    let waiting = false;
    for (const name of names) {
      if (closed) break;
      const file = path.join(dir, name);
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        continue; // gone meanwhile
      }
      if (!st.isFile()) continue;
      if (Date.now() - st.mtimeMs < settleMs) {
        waiting = true;
        continue;
      }
      let xml: string;
      try {
        xml = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      try {
        await opts.accept(xml, name);
        move(file, processed);
        opts.log.info('cap.inbox_accepted', { file: name });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        try {
          const target = move(file, rejected);
          fs.writeFileSync(`${target}.error.txt`, `${reason}\n`);
        } catch (moveErr) {
          opts.log.error('cap.inbox_move_failed', { file: name, error: String(moveErr) });
        }
        opts.log.warn('cap.inbox_rejected', { file: name, reason });
      }
      taken++;
    }
    // A file still being written: look again once it had time to settle.
    if (waiting && !closed) setTimeout(() => void scan(), settleMs).unref();
    return taken;
  };

  const scan = (): Promise<number> => {
    if (scanning) {
      again = true;
      return scanning;
    }
    scanning = once().finally(() => {
      scanning = null;
      if (again && !closed) {
        again = false;
        void scan();
      }
    });
    return scanning;
  };

  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(dir, () => void scan());
    watcher.on('error', () => undefined);
  } catch {
    watcher = null;
  }
  const poll = setInterval(() => void scan(), opts.pollMs ?? 2_000);
  poll.unref();
  void scan();

  return {
    dir,
    scan,
    close() {
      closed = true;
      clearInterval(poll);
      watcher?.close();
    },
  };
}

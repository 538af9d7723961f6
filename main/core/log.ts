/**
 * Structured logging: one JSON object per line to a rotating file in the data directory, and a
 * short human line on the console. Rotation: at 5 MiB the file becomes .1 (… up to .4).
 */
import fs from 'node:fs';
import path from 'node:path';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** Where the log file is, to tell users where to look. */
  readonly file: string | null;
  close(): void;
}

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  dir?: string | null;
  console?: boolean;
  level?: Level;
  maxBytes?: number;
  keep?: number;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const minLevel = ORDER[opts.level ?? (process.env.CITYOPS_LOG_LEVEL as Level | undefined) ?? 'info'] ?? 20;
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const keep = opts.keep ?? 4;
  const toConsole = opts.console ?? true;
  let file: string | null = null;
  let fd: number | null = null;
  let size = 0;
  if (opts.dir) {
    fs.mkdirSync(opts.dir, { recursive: true });
    file = path.join(opts.dir, 'cityops.log');
    fd = fs.openSync(file, 'a');
    size = fs.fstatSync(fd).size;
  }

  const rotate = (): void => {
    if (!file || fd === null) return;
    fs.closeSync(fd);
    for (let i = keep - 1; i >= 1; i--) {
      const from = `${file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${file}.${i + 1}`);
    }
    fs.renameSync(file, `${file}.1`);
    fd = fs.openSync(file, 'a');
    size = 0;
  };

  const write = (level: Level, msg: string, fields?: Fields): void => {
    if (ORDER[level] < minLevel) return;
    const at = new Date().toISOString();
    if (fd !== null) {
      const line = JSON.stringify({ at, level, msg, ...fields }) + '\n';
      const bytes = Buffer.byteLength(line);
      if (size + bytes > maxBytes) rotate();
      fs.writeSync(fd, line);
      size += bytes;
    }
    if (toConsole && (level !== 'debug' || minLevel <= ORDER.debug)) {
      const extra = fields && Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields) : '';
      const out = `[cityops] ${level.toUpperCase()} ${msg}${extra}`;
      if (level === 'error' || level === 'warn') process.stderr.write(out + '\n');
      else process.stdout.write(out + '\n');
    }
  };

  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    get file() {
      return file;
    },
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  file: null,
  close: () => {},
};

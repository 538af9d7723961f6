/**
 * Starts the headless host for one spec file: a fresh temporary data directory, the Hangzhou demo,
 * port 0 (the host picks a free port and prints the URL it serves). Waits for the host's
 * "serving at" line on stdout, never on a timer; stops the host and removes the data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { HOST_ENTRY, HOST_LOG_DIR, RENDERER_DIR } from './paths';

export interface RunningHost {
  /** e.g. http://127.0.0.1:41234/ */
  url: string;
  dataDir: string;
  logFile: string;
  /** Kill the host abruptly (SIGKILL), keeping its data directory. */
  crash(): Promise<void>;
  /** Start it again on the same port with the same data directory (after crash(), or to restart). */
  restart(): Promise<void>;
  /** Stop the host and remove its data directory. */
  stop(): Promise<void>;
}

const SERVING = /serving at (http:\/\/\S+)/;

export async function startHost(name: string, opts: { demo?: 'hangzhou' | 'none'; startTimeoutMs?: number } = {}): Promise<RunningHost> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cityops-e2e-${name}-`));
  fs.mkdirSync(HOST_LOG_DIR, { recursive: true });
  const logFile = path.join(HOST_LOG_DIR, `${name}.log`);
  const log = fs.createWriteStream(logFile);
  const timeoutMs = opts.startTimeoutMs ?? 150_000;

  const launch = async (port: number): Promise<{ child: ChildProcess; url: string }> => {
    const child = spawn(
      process.execPath,
      [HOST_ENTRY, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--demo', opts.demo ?? 'hangzhou', '--mqtt-port', '0', '--static-dir', RENDERER_DIR],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CITYOPS_DATA_DIR: dataDir } },
    );
    child.stderr?.pipe(log, { end: false });
    try {
      return { child, url: await waitForUrl(child, log, timeoutMs) };
    } catch (err) {
      await kill(child);
      throw new Error(`${err instanceof Error ? err.message : String(err)} (host log: ${logFile})`);
    }
  };

  let current: { child: ChildProcess; url: string };
  try {
    current = await launch(0);
  } catch (err) {
    log.end();
    throw err;
  }
  const url = current.url;
  return {
    url,
    dataDir,
    logFile,
    async crash() {
      await kill(current.child, 'SIGKILL');
    },
    async restart() {
      await kill(current.child);
      current = await launch(Number(new URL(url).port));
    },
    async stop() {
      await kill(current.child);
      log.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForUrl(child: ChildProcess, log: fs.WriteStream, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    // The deadline only bounds a host that never comes up; success is the host's own signal.
    const deadline = setTimeout(() => finish(new Error(`the host did not print "serving at" within ${timeoutMs} ms`)), timeoutMs);
    let done = false;
    function finish(result: Error | string): void {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      child.off('exit', onExit);
      if (typeof result === 'string') resolve(result);
      else reject(result);
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => finish(new Error(`the host exited before serving (code ${code}, signal ${signal})`));
    child.on('exit', onExit);
    lines.on('line', (line) => {
      log.write(line + '\n');
      const m = SERVING.exec(line);
      if (m) finish(m[1]!);
    });
  });
}

function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * scripts/start.mjs (`npm start`) in a sandbox: a copy of the script next to a stub build, a stub
 * host that prints the real "serving at" line, a stub browser and a stub Electron. Waits on the
 * script's output and on files the stubs write, never on sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const START = path.resolve(__dirname, '../../scripts/start.mjs');

interface Sandbox {
  root: string;
  dataDir: string;
  file(name: string): string;
}

function makeSandbox(): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-start-'));
  const out = path.join(root, 'out');
  fs.mkdirSync(out);
  fs.mkdirSync(path.join(root, 'scripts'));
  fs.copyFileSync(START, path.join(root, 'scripts', 'start.mjs'));
  fs.writeFileSync(
    path.join(root, 'scripts', 'build.mjs'),
    `import fs from 'node:fs';\nfs.appendFileSync(${JSON.stringify(path.join(out, 'build'))}, process.argv.slice(2).join(' ') + '\\n');\n`,
  );
  fs.mkdirSync(path.join(root, 'dist', 'main'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'dist', 'main', 'host.cjs'),
    `const fs = require('node:fs');
const out = ${JSON.stringify(out)};
fs.writeFileSync(out + '/host-args', JSON.stringify(process.argv.slice(2)));
if (process.env.STUB_HOST_FAIL) { console.error('CityOps Wall: port 4870 on 127.0.0.1 is already in use (try --port)'); process.exit(1); }
process.on('SIGTERM', () => { try { fs.writeFileSync(out + '/host-stopped', 'SIGTERM'); } finally { process.exit(0); } });
process.on('SIGINT', () => {});
console.log('[cityops] INFO core.ready');
console.log('CityOps Wall serving at http://127.0.0.1:4870/');
setInterval(() => {}, 1000);
`,
  );
  return { root, dataDir: path.join(root, 'data'), file: (name) => path.join(out, name) };
}

/** A stub executable (a Node script with a shebang) that records its arguments. */
function stubExecutable(sandbox: Sandbox, name: string, body: string): string {
  const file = path.join(sandbox.root, 'bin', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(sandbox.file(name))}, JSON.stringify({ args: process.argv.slice(2), binding: process.env.CITYOPS_SQLITE_BINDING ?? null }) + '\\n');
${body}
`,
  );
  fs.chmodSync(file, 0o755);
  return file;
}

class Run {
  readonly child: ChildProcess;
  output = '';
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  readonly exited: Promise<number | null>;

  constructor(sandbox: Sandbox, args: string[], env: Record<string, string | undefined>) {
    const cleanEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) cleanEnv[k] = v;
    // Its own process group, so that the test can always clean up whatever the script started.
    this.child = spawn(process.execPath, [path.join(sandbox.root, 'scripts', 'start.mjs'), ...args], { cwd: sandbox.root, env: cleanEnv, detached: true });
    const onData = (chunk: Buffer): void => {
      this.output += chunk.toString();
      this.check();
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolve once the output contains `text`. */
  waitFor(text: string): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ test: () => this.output.includes(text), resolve });
      this.check();
    });
  }
}

/** Resolve once a file exists (the stubs write them). */
function waitForFile(file: string): Promise<void> {
  return new Promise((resolve) => {
    const dir = path.dirname(file);
    const watcher = fs.watch(dir, () => {
      if (fs.existsSync(file)) {
        watcher.close();
        resolve();
      }
    });
    if (fs.existsSync(file)) {
      watcher.close();
      resolve();
    }
  });
}

describe('npm start (scripts/start.mjs)', () => {
  let sandbox: Sandbox;
  let run: Run | null = null;
  beforeEach(() => {
    sandbox = makeSandbox();
  });
  afterEach(async () => {
    if (run) {
      // Stop it as a user would (it stops its children), then make sure the group is gone.
      if (run.child.exitCode === null && run.child.signalCode === null) {
        run.child.kill('SIGTERM');
        await run.exited;
      }
      const group = run.child.pid;
      if (group !== undefined) {
        try {
          process.kill(-group, 'SIGKILL');
        } catch {
          // Nothing left in the group.
        }
      }
    }
    run = null;
    fs.rmSync(sandbox.root, { recursive: true, force: true });
  });

  const baseEnv = { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, CITYOPS_BROWSER: undefined, CITYOPS_SQLITE_BINDING: undefined };

  it('without Electron and without a display: one clear line, the host, the URL; Ctrl-C stops both', async () => {
    run = new Run(sandbox, ['--data-dir', sandbox.dataDir, '--demo', 'none'], baseEnv);
    await run.waitFor('open http://127.0.0.1:4870/');
    const lines = run.output.trim().split('\n');
    expect(lines[0]).toBe(
      'CityOps Wall: the Electron binary is not installed (it downloads on a machine with internet: npm install); opening the browser host instead.',
    );
    expect(run.output).toContain('CityOps Wall serving at http://127.0.0.1:4870/');
    expect(fs.readFileSync(sandbox.file('build'), 'utf8')).toBe('--if-stale\n');
    expect(JSON.parse(fs.readFileSync(sandbox.file('host-args'), 'utf8'))).toEqual(['--data-dir', sandbox.dataDir, '--demo', 'none']);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(fs.readFileSync(sandbox.file('host-stopped'), 'utf8')).toBe('SIGTERM');
    expect(run.output).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('opens the wall and the console in Chromium app windows with a profile in the data dir', async () => {
    const browser = stubExecutable(sandbox, 'chromium', `if (process.argv.some((a) => a.includes('/console'))) {
  fs.writeFileSync(${JSON.stringify(sandbox.file('browser-console'))}, '1');
  process.exit(0);
}
fs.writeFileSync(${JSON.stringify(sandbox.file('browser-up'))}, '1');
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);`);
    run = new Run(sandbox, ['--data-dir', sandbox.dataDir], { ...baseEnv, DISPLAY: ':99', CITYOPS_BROWSER: browser });
    await waitForFile(sandbox.file('browser-up'));
    await waitForFile(sandbox.file('browser-console'));
    const launches = fs
      .readFileSync(sandbox.file('chromium'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { args: string[] });
    const all = launches.flatMap((l) => l.args);
    expect(all).toContain('--app=http://127.0.0.1:4870/');
    expect(all).toContain('--app=http://127.0.0.1:4870/console');
    for (const flag of ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-features=Translate']) {
      expect(launches[0]?.args).toContain(flag);
    }
    expect(launches[0]?.args).toContain(`--user-data-dir=${path.join(sandbox.dataDir, 'browser-profile')}`);
    expect(fs.existsSync(path.join(sandbox.dataDir, 'browser-profile'))).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(fs.existsSync(sandbox.file('host-stopped'))).toBe(true);
  });

  it('keeps the host running when the browser fails, and says so', async () => {
    const browser = stubExecutable(sandbox, 'chromium', `process.exit(1);`);
    run = new Run(sandbox, ['--data-dir', sandbox.dataDir], { ...baseEnv, DISPLAY: ':99', CITYOPS_BROWSER: browser });
    await run.waitFor('chromium stopped (exit code 1): open http://127.0.0.1:4870/ in a browser; Ctrl-C stops the host.');
    expect(run.child.exitCode).toBeNull();
    expect(fs.existsSync(sandbox.file('host-stopped'))).toBe(false);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(fs.existsSync(sandbox.file('host-stopped'))).toBe(true);
  });

  it('stops the host when the browser window is closed', async () => {
    const browser = stubExecutable(sandbox, 'chromium', `process.exit(0);`);
    run = new Run(sandbox, ['--data-dir', sandbox.dataDir], { ...baseEnv, DISPLAY: ':99', CITYOPS_BROWSER: browser });
    expect(await run.exited).toBe(0);
    expect(fs.readFileSync(sandbox.file('host-stopped'), 'utf8')).toBe('SIGTERM');
  });

  it('prints the URL when no Chromium is installed', async () => {
    run = new Run(sandbox, [], { ...baseEnv, DISPLAY: ':99', CITYOPS_BROWSER: path.join(sandbox.root, 'no-such-browser'), CITYOPS_DATA_DIR: sandbox.dataDir });
    await run.waitFor('no Chromium found: open http://127.0.0.1:4870/ in a browser.');
  });

  it('reports a host that cannot start, without a stack trace', async () => {
    run = new Run(sandbox, [], { ...baseEnv, STUB_HOST_FAIL: '1', CITYOPS_DATA_DIR: sandbox.dataDir });
    expect(await run.exited).toBe(1);
    expect(run.output).toContain('already in use');
    expect(run.output).toContain('CityOps Wall: the host stopped before it was ready (exit code 1).');
    expect(run.output).not.toMatch(/\n\s+at /);
  });

  it('launches Electron with the app directory when its binary is installed', async () => {
    const pkg = path.join(sandbox.root, 'node_modules', 'electron');
    fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    const stub = stubExecutable(sandbox, 'electron', 'process.exit(0);');
    fs.copyFileSync(stub, path.join(pkg, 'dist', 'electron'));
    fs.chmodSync(path.join(pkg, 'dist', 'electron'), 0o755);
    const binding = path.join(sandbox.root, 'better_sqlite3.node');
    run = new Run(sandbox, ['--data-dir', sandbox.dataDir], { ...baseEnv, DISPLAY: ':99', CITYOPS_SQLITE_BINDING: binding });
    expect(await run.exited).toBe(0);
    const launch = JSON.parse(fs.readFileSync(sandbox.file('electron'), 'utf8').trim()) as { args: string[]; binding: string };
    expect(launch.args).toEqual([sandbox.root, '--data-dir', sandbox.dataDir]);
    expect(launch.binding).toBe(binding);
    expect(fs.existsSync(sandbox.file('host-args'))).toBe(false);
  });

  it('does not try Electron (nor download it) when the binary is missing: path.txt without dist', async () => {
    const pkg = path.join(sandbox.root, 'node_modules', 'electron');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    fs.writeFileSync(path.join(pkg, 'index.js'), `require('node:fs').writeFileSync(${JSON.stringify(sandbox.file('download-attempt'))}, '1');`);
    run = new Run(sandbox, ['--data-dir', sandbox.dataDir], { ...baseEnv, DISPLAY: ':99', CITYOPS_BROWSER: path.join(sandbox.root, 'none') });
    await run.waitFor('no Chromium found');
    expect(run.output).toContain('the Electron binary is not installed');
    expect(fs.existsSync(sandbox.file('download-attempt'))).toBe(false);
  });
});

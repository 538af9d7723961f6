#!/usr/bin/env node
// `npm start [-- --data-dir DIR --demo hangzhou|none …]`: the desktop app.
//
// With the Electron binary installed: build if stale, make sure better-sqlite3 exists for
// Electron's ABI (built once into node_modules/.cache, node_modules itself stays built for
// Node), and launch Electron with the app directory.
// Without it (or with --browser, or with no display): say so in one line, start the headless host
// (dist/main/host.cjs, same arguments), wait for its "serving at" line and open the URL in a
// Chromium app window if one is installed, else print the URL. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rawArgs = process.argv.slice(2);
const forceBrowser = rawArgs.includes('--browser');
const passArgs = rawArgs.filter((a) => a !== '--browser');
const children = new Set();
let stopping = false;

const say = (line) => process.stdout.write(`CityOps Wall: ${line}\n`);

/** The Electron executable if it is really there, without triggering the package's download. */
function electronBinary() {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) return null;
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let candidate = null;
  if (override) candidate = path.join(override, relative || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
  else if (relative) candidate = path.join(pkgDir, 'dist', relative);
  return candidate && fs.existsSync(candidate) ? candidate : null;
}

function electronVersion() {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

function hasDisplay() {
  if (process.platform !== 'linux' && process.platform !== 'freebsd') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function buildIfStale() {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say('the build failed (see above).');
    process.exit(result.status ?? 1);
  }
}

/** The value of `--flag value` or `--flag=value` in the passed arguments. */
function argValue(flag) {
  for (let i = 0; i < passArgs.length; i++) {
    const a = passArgs[i];
    if (a === flag) return passArgs[i + 1] ?? null;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return null;
}

/** The data directory the host will use (same rules as main/host/args.ts). */
function dataDir() {
  const fromArg = argValue('--data-dir');
  if (fromArg) return path.resolve(fromArg);
  if (process.env.CITYOPS_DATA_DIR) return path.resolve(process.env.CITYOPS_DATA_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'CityOps Wall');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'CityOps Wall');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'CityOps Wall');
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A Chromium-family browser that supports --app: CITYOPS_BROWSER, else the usual names. */
function findChromium() {
  if (process.env.CITYOPS_BROWSER) return isExecutable(process.env.CITYOPS_BROWSER) ? process.env.CITYOPS_BROWSER : null;
  const names =
    process.platform === 'win32'
      ? ['chrome.exe', 'msedge.exe', 'chromium.exe']
      : ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) if (isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  const fixed =
    process.platform === 'win32'
      ? [
          path.join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe'),
          path.join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
        ]
      : process.platform === 'darwin'
        ? ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium']
        : [];
  return fixed.find(isExecutable) ?? null;
}

function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Stop every child we started (the host gets SIGTERM and closes its store), then exit. */
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const alive = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  let left = alive.length;
  for (const child of alive) {
    child.once('exit', () => {
      left -= 1;
      if (left === 0) process.exit(code);
    });
    child.kill('SIGTERM');
  }
  setTimeout(() => {
    for (const child of alive) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(code);
  }, 10_000).unref();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(0));

/**
 * better-sqlite3 built for Electron's ABI, in node_modules/.cache (once per Electron version).
 * Returns its path, or null when it cannot be built (then the browser host is used).
 */
function ensureElectronSqlite() {
  if (process.env.CITYOPS_SQLITE_BINDING) return process.env.CITYOPS_SQLITE_BINDING;
  const version = electronVersion();
  const cache = path.join(root, 'node_modules', '.cache', 'cityops-electron-sqlite', `${version}-${process.platform}-${process.arch}`);
  const binding = path.join(cache, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;

  say(`building better-sqlite3 for Electron ${version} (once, about a minute)…`);
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  const target = path.join(cache, 'node_modules', 'better-sqlite3');
  fs.rmSync(cache, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.cpSync(source, target, { recursive: true, filter: (p) => path.relative(source, p).split(path.sep)[0] !== 'build' });
  const sqliteVersion = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')).version;
  fs.writeFileSync(path.join(cache, 'package.json'), JSON.stringify({ name: 'cityops-electron-sqlite', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }));
  const logFile = path.join(cache, 'rebuild.log');
  const log = fs.openSync(logFile, 'w');
  // .npmrc sets nodedir=/usr for the Node build; left in place, node-gyp would build this copy
  // against Node's headers instead of Electron's.
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.toLowerCase() === 'npm_config_nodedir') delete env[key];
  const rebuild = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'), '--version', version, '--module-dir', cache, '--only', 'better-sqlite3', '--force', '--build-from-source'],
    { cwd: cache, env, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  if (rebuild.status !== 0 || !fs.existsSync(binding)) {
    say(`could not build better-sqlite3 for Electron (see ${logFile}).`);
    return null;
  }
  return binding;
}

function runElectron(binary) {
  buildIfStale();
  const binding = ensureElectronSqlite();
  if (binding === null) return runBrowserHost('opening the browser host instead.');
  const child = track(spawn(binary, [root, ...passArgs], { cwd: root, stdio: 'inherit', env: { ...process.env, CITYOPS_SQLITE_BINDING: binding } }));
  child.on('error', (err) => {
    say(`Electron could not start (${err.message}); opening the browser host instead.`);
    runBrowserHost(null);
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.exit(code ?? (signal ? 0 : 1));
  });
}

function openAppWindows(browser, url) {
  const profile = path.join(dataDir(), 'browser-profile');
  fs.mkdirSync(profile, { recursive: true });
  const flags = [
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=Translate',
    '--password-store=basic',
    '--autoplay-policy=no-user-gesture-required',
  ];
  // Chromium refuses to run as root with its sandbox (containers, kiosk images run as root).
  if (process.getuid?.() === 0) flags.push('--no-sandbox');
  const wallUrl = new URL('/', url).toString();
  const consoleUrl = new URL('/console', url).toString();
  const name = path.basename(browser);
  const launched = [];
  let reported = false;
  const report = (why) => {
    if (reported || stopping) return;
    reported = true;
    say(`${name} stopped (${why}): open ${url} in a browser; Ctrl-C stops the host.`);
  };
  const onExit = () => {
    if (stopping || launched.some((c) => c.exitCode === null && c.signalCode === null)) return;
    // Every browser process has ended. Whichever of them became the browser (a second launch
    // with the same profile hands its window over and exits at once) ended normally: the
    // operator closed the last window, which ends the session like closing the desktop app.
    const failed = launched.find((c) => c.exitCode !== 0);
    if (!failed) return stopAll(0);
    // A browser that failed (or was killed) leaves the host running for other browsers.
    report(failed.signalCode ?? `exit code ${failed.exitCode}`);
  };
  const launch = (appUrl) => {
    const child = track(spawn(browser, [...flags, `--app=${appUrl}`], { stdio: 'ignore' }));
    launched.push(child);
    child.on('error', (err) => report(err.message));
    child.on('exit', onExit);
    return child;
  };
  launch(wallUrl).once('spawn', () => launch(consoleUrl));
}

function runBrowserHost(reason) {
  if (reason) say(reason);
  buildIfStale();
  const hostEntry = path.join(root, 'dist', 'main', 'host.cjs');
  const host = track(spawn(process.execPath, [hostEntry, ...passArgs], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }));
  let ready = false;
  readline.createInterface({ input: host.stdout }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    const match = /serving at (\S+)/.exec(line);
    if (ready || !match) return;
    ready = true;
    const url = match[1];
    if (!hasDisplay()) {
      say(`no display here: open ${url} in a browser on this network.`);
      return;
    }
    const browser = findChromium();
    if (!browser) {
      say(`no Chromium found: open ${url} in a browser.`);
      return;
    }
    openAppWindows(browser, url);
  });
  host.on('error', (err) => {
    say(`the host could not start (${err.message}).`);
    stopAll(1);
  });
  host.on('exit', (code, signal) => {
    if (stopping) return;
    if (!ready) say(`the host stopped before it was ready (${signal ?? `exit code ${code}`}).`);
    stopAll(ready ? (code ?? 0) : code || 1);
  });
}

function main() {
  const binary = forceBrowser ? null : electronBinary();
  if (binary && hasDisplay()) return runElectron(binary);
  if (forceBrowser) return runBrowserHost('opening the browser host (--browser).');
  if (binary) return runBrowserHost('there is no display for the Electron window; opening the browser host instead.');
  return runBrowserHost(
    'the Electron binary is not installed (it downloads on a machine with internet: npm install); opening the browser host instead.',
  );
}

try {
  main();
} catch (err) {
  say(`could not start: ${err instanceof Error ? err.message : String(err)}`);
  stopAll(1);
}

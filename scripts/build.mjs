#!/usr/bin/env node
// Builds everything that runs: the renderer (Vite → dist/renderer) and the Node/Electron entry
// points (esbuild → dist/main/host.cjs, dist/electron/main.cjs, dist/electron/preload.cjs, and the
// consultation's run worker dist/{main,electron}/consultWorker.cjs).
// `--if-stale` skips the build when dist is newer than every source file.
import { build as esbuild } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const args = new Set(process.argv.slice(2));

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

if (args.has('--if-stale')) {
  const stamp = path.join(dist, '.build-stamp');
  if (fs.existsSync(stamp)) {
    const built = fs.statSync(stamp).mtimeMs;
    const src = Math.max(...['main', 'shared', 'renderer', 'package.json', 'vite.config.mts'].map((p) => {
      const abs = path.join(root, p);
      return fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? newestMtime(abs) : fs.existsSync(abs) ? fs.statSync(abs).mtimeMs : 0;
    }));
    if (built >= src) process.exit(0);
  }
}

const t0 = Date.now();
const external = ['better-sqlite3', 'electron', 'aedes', 'mqtt', 'ws', 'bufferutil', 'utf-8-validate'];
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, external, logLevel: 'warning' };

await Promise.all([
  esbuild({ ...common, entryPoints: [path.join(root, 'main/host/cli.ts')], outfile: path.join(dist, 'main/host.cjs') }),
  esbuild({ ...common, entryPoints: [path.join(root, 'main/electron/main.ts')], outfile: path.join(dist, 'electron/main.cjs') }),
  // The consultation's run worker (main/core/consult/runWorker.ts), next to each bundle that starts it.
  esbuild({ ...common, entryPoints: [path.join(root, 'main/core/consult/worker.ts')], outfile: path.join(dist, 'main/consultWorker.cjs') }),
  esbuild({ ...common, entryPoints: [path.join(root, 'main/core/consult/worker.ts')], outfile: path.join(dist, 'electron/consultWorker.cjs') }),
  // A sandboxed preload cannot require() local files: it must be one self-contained bundle.
  esbuild({ ...common, entryPoints: [path.join(root, 'main/electron/preload.ts')], outfile: path.join(dist, 'electron/preload.cjs'), external: ['electron'] }),
]);

execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
fs.writeFileSync(path.join(dist, '.build-stamp'), new Date().toISOString());
console.log(`build: done in ${((Date.now() - t0) / 1000).toFixed(1)} s → dist/`);

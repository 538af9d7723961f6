#!/usr/bin/env node
// `npm test`: every check in order — system packages, type-check, lint, unit and contract tests
// (Vitest), build, end-to-end tests (Playwright + Debian's Chromium) — then one summary line
// "tests: N passed, N failed" counting both runners. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  console.log(`=== ${label}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return ok;
}

const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};

const failedStages = [];
const stage = (label, cmd, args, env) => {
  const ok = run(label, cmd, args, env);
  if (!ok) failedStages.push(label);
  return ok;
};

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

if (want('system')) stage('system packages', 'bash', ['scripts/setup-system.sh']);
if (want('typecheck')) {
  stage('type-check (Node)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
  stage('type-check (browser)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
}
if (want('lint')) {
  stage('lint', bin('eslint'), ['--max-warnings', '0', '.']);
  stage('dependency cycles', bin('madge'), ['--circular', '--extensions', 'ts,tsx', '--ts-config', 'tsconfig.json', 'main', 'renderer', 'shared']);
}

const vitestJson = path.join(results, 'vitest.json');
const pwJson = path.join(results, 'playwright.json');
fs.rmSync(vitestJson, { force: true });
fs.rmSync(pwJson, { force: true });
if (want('unit')) stage('unit and contract tests (Vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
let built = true;
if (want('e2e') || want('build')) built = stage('build', process.execPath, ['scripts/build.mjs']);
if (want('e2e')) {
  if (built) stage('end-to-end tests (Playwright, Chromium)', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  else failedStages.push('end-to-end tests (not run: the build failed)');
}

let passed = 0;
let failed = 0;
let skipped = 0;
const v = readJson(vitestJson);
if (v) {
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (v.numTotalTestSuites && v.success === false && !v.numFailedTests ? 1 : 0);
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
const p = readJson(pwJson);
if (p?.stats) {
  passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
  failed += p.stats.unexpected ?? 0;
  skipped += p.stats.skipped ?? 0;
}
if (failedStages.length > 0) console.log(`\nfailed stages: ${failedStages.join('; ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failedStages.length > 0 || failed > 0 ? 1 : 0);

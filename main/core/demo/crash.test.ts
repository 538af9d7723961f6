/**
 * Crash safety of the demo generation: a child process generates the demo into a temporary store
 * and is killed with SIGKILL at chosen moments; the store must then hold either no demo at all or
 * the complete demo, and ensureDemo must complete it on the next start.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Db } from '../db/store';
import { silentLogger } from '../log';
import { ensureDemo, readDemoMarker, type DemoCounts } from './index';

const NOW = Date.parse('2026-11-21T10:30:00+08:00');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'crash-child.ts');
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface ChildRun {
  killed: boolean;
  lines: string[];
  code: number | null;
}

/**
 * Runs the generator in a child process; `killWhen` sees every stdout line and returns the delay
 * in ms after which to SIGKILL the child (0 = now), or null to keep going.
 */
function runChild(dir: string, killWhen: (line: string) => number | null, pauseAt?: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, 'town', String(NOW)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CITYOPS_LOG_LEVEL: 'info', ...(pauseAt ? { CRASH_PAUSE_AT: pauseAt } : {}) },
    });
    const lines: string[] = [];
    let killed = false;
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const rl = readline.createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      lines.push(line);
      if (killed) return;
      const delay = killWhen(line);
      if (delay === null) return;
      killed = true;
      if (delay === 0) child.kill('SIGKILL');
      else setTimeout(() => child.kill('SIGKILL'), delay);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!killed && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ killed, lines, code });
    });
  });
}

const tempDir = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-crash-'));
  dirs.push(d);
  return d;
};

const count = (db: Db, table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

/** 'none' or 'complete'; throws when the store holds a partial demo. */
function demoState(db: Db): 'none' | 'complete' {
  const marker = readDemoMarker(db);
  const tables: Array<[keyof DemoCounts, string]> = [
    ['areas', 'areas'],
    ['units', 'units'],
    ['staff', 'staff'],
    ['cameras', 'cameras'],
    ['sensors', 'sensors'],
    ['cases', 'cases'],
    ['caseEvents', 'case_events'],
  ];
  if (!marker) {
    for (const [, t] of tables) expect(count(db, t), `${t} without a demo marker`).toBe(0);
    expect(count(db, 'areas_rtree')).toBe(0);
    return 'none';
  }
  for (const [k, t] of tables) expect(count(db, t), t).toBe(marker.counts[k]);
  expect(count(db, 'areas_rtree')).toBe(marker.counts.areas);
  expect(db.pragma('quick_check', { simple: true })).toBe('ok');
  return 'complete';
}

/** Reopens the store as the next start would, checks it, then lets ensureDemo finish the job. */
async function reopenAndComplete(dir: string): Promise<'none' | 'complete'> {
  const db = openStore(dir);
  try {
    const before = demoState(db);
    await ensureDemo(db, { name: 'hangzhou', scale: 'town', now: NOW, log: silentLogger });
    expect(demoState(db)).toBe('complete');
    return before;
  } finally {
    db.close();
  }
}

describe('demo generation survives SIGKILL', { timeout: 180_000 }, () => {
  it('killed after the areas are written (mid-transaction): no demo, then a complete one', async () => {
    const dir = tempDir();
    const run = await runChild(dir, (line) => (line === 'child.paused' ? 0 : null), 'areas');
    expect(run.killed).toBe(true);
    expect(run.lines.some((l) => l.includes('demo.generated'))).toBe(false);
    expect(await reopenAndComplete(dir)).toBe('none');
  });

  it('killed after the cases are written and the indexes rebuilt, before the commit: no demo, then a complete one', async () => {
    const dir = tempDir();
    const run = await runChild(dir, (line) => (line === 'child.paused' ? 0 : null), 'indexes');
    expect(run.killed).toBe(true);
    expect(run.lines.some((l) => l.includes('demo.generated'))).toBe(false);
    expect(await reopenAndComplete(dir)).toBe('none');
  });

  it('killed at arbitrary moments: always all or nothing', async () => {
    for (const delay of [1, 150, 600]) {
      const dir = tempDir();
      await runChild(dir, (line) => (line.includes('demo.started') ? delay : null));
      const state = await reopenAndComplete(dir);
      expect(['none', 'complete']).toContain(state);
    }
  });

  it('killed right after the commit: the demo is complete and is not generated again', async () => {
    const dir = tempDir();
    const run = await runChild(dir, (line) => (line.includes('demo.generated') ? 0 : null));
    expect(run.killed).toBe(true);
    const db = openStore(dir);
    const marker = readDemoMarker(db);
    db.close();
    expect(await reopenAndComplete(dir)).toBe('complete');
    const again = openStore(dir);
    expect(readDemoMarker(again)).toEqual(marker);
    again.close();
  });
});

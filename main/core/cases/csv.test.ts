import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api';
import { makeTestCore, type TestCore } from './test-fixture';
import { CsvSyntaxError, parseCsv, parseCsvTime } from './csv';

describe('parseCsv (RFC 4180)', () => {
  it('quotes, escaped quotes, embedded line breaks, CRLF, BOM and blank lines, with starting line numbers', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y",3\r\n\r\n2,"say ""hi""",4\n3,"two\nlines",5\n4,,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', '3'] },
      { line: 4, fields: ['2', 'say "hi"', '4'] },
      { line: 5, fields: ['3', 'two\nlines', '5'] },
      { line: 7, fields: ['4', '', ''] },
    ]);
  });

  it('reports unclosed quotes and text after a closing quote with their line', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a,b\n1,"open\n2,3\n');
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(2);
    }
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow(/line 2: text after a closing quote/);
  });

  it('reads report times', () => {
    expect(parseCsvTime('2026-03-02 09:30')).toBe(Date.parse('2026-03-02T09:30:00+08:00'));
    expect(parseCsvTime('2026-03-02 09:30:15')).toBe(Date.parse('2026-03-02T09:30:15+08:00'));
    expect(parseCsvTime('2026-03-02T01:30:00Z')).toBe(Date.parse('2026-03-02T09:30:00+08:00'));
    expect(parseCsvTime('2026-02-30 09:30')).toBeNull();
    expect(parseCsvTime('yesterday')).toBeNull();
    expect(parseCsvTime('2026-03-02T09:30:00')).toBe(Date.parse('2026-03-02T09:30:00+08:00')); // no offset: Asia/Shanghai
    expect(parseCsvTime('2026-03-02T09:30:00+0800')).toBeNull();
  });
});

describe('cases.importCsv', () => {
  let tc: TestCore;
  beforeEach(async () => {
    tc = await makeTestCore();
  });
  afterEach(async () => {
    await tc.close();
  });
  const count = (): number => tc.core.db.prepare('SELECT COUNT(*) FROM cases').pluck().get() as number;
  async function importCsv(csv: string, dryRun: boolean): Promise<MethodOutput<'cases.importCsv'>> {
    const r = await tc.core.registry.invoke('cases.importCsv', { csv, dryRun, actor: '导入员' });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  const GOOD = [
    'source,category_code,lon,lat,urgency,description,address,reported_at,reporter_name,reporter_phone,photo_url',
    'hotline,0101,120.02,30.22,紧急,"垃圾堆放, 有异味",文一路1号,2026-03-02 08:30,王五,13900001111,att://p1.jpg',
    'grid,0601,120.17,30.21,normal,"井盖\n缺失",古墩路,2026-03-02T08:40:00+08:00,,,',
    'public,0101,120.0202,30.2201,,同一处垃圾,文一路1号,2026-03-02 08:50,,,',
  ].join('\r\n');

  it('a dry run checks everything and imports nothing', async () => {
    const r = await importCsv(GOOD, true);
    expect(r).toMatchObject({ dryRun: true, rows: 3, imported: 0, errors: [], ids: [] });
    expect(r.duplicates).toHaveLength(1);
    expect(r.duplicates[0]!.line).toBe(5);
    expect(count()).toBe(0);
  });

  it('a valid file imports every row in one go', async () => {
    const seen: string[] = [];
    const off = tc.core.bus.subscribe((m) => seen.push(m.event));
    const r = await importCsv(GOOD, false);
    off();
    expect(r).toMatchObject({ dryRun: false, rows: 3, imported: 3, errors: [] });
    expect(r.ids).toHaveLength(3);
    expect(seen.filter((e) => e === 'case.created')).toHaveLength(3);
    const first = await tc.core.registry.invoke('cases.get', { id: r.ids[0] });
    expect(first.ok && first.value).toMatchObject({
      source: 'hotline',
      categoryCode: '0101',
      urgency: 'urgent',
      description: '垃圾堆放, 有异味',
      address: '文一路1号',
      reportedAt: '2026-03-02T08:30:00.000+08:00',
      reporterName: '王*',
      gridId: 'area-g1',
      state: 'reported',
    });
    const second = await tc.core.registry.invoke('cases.get', { id: r.ids[1] });
    expect(second.ok && second.value).toMatchObject({ description: '井盖\n缺失', gridId: 'area-g4', urgency: 'normal' });
    expect(r.duplicates).toEqual([{ line: 5, caseId: r.ids[0] }]);
    const ev = tc.core.db.prepare("SELECT actor, data FROM case_events WHERE case_id = ? AND action = 'report'").get(r.ids[0]) as { actor: string; data: string };
    expect(ev.actor).toBe('导入员');
    expect(JSON.parse(ev.data)).toMatchObject({ transport: 'internal:csv' });
  });

  it('every bad row is reported by line and column; a file with errors imports nothing', async () => {
    const bad = [
      'source,category_code,lon,lat,urgency,description,reported_at',
      'hotline,0101,120.02,30.22,,ok,', // line 2: fine
      'fax,0101,120.02,30.22,,bad source,', // line 3
      'grid,0101,abc,30.22,,bad lon,', // line 4
      'grid,9999,120.02,30.22,,unknown category,', // line 5
      'grid,0101,116.4,39.9,,outside,', // line 6
      'grid,0101,120.02,30.22', // line 7: too few fields
      'grid,0101,120.02,30.22,asap,"bad urgency\nand two lines",', // line 8
      'grid,0101,120.02,30.22,,bad time,2026-13-01 08:00', // line 10
      'grid,0101,120.02,30.22,,future,2027-01-01 08:00', // line 11
    ].join('\n');
    for (const dryRun of [true, false]) {
      const r = await importCsv(bad, dryRun);
      expect(r.imported).toBe(0);
      expect(r.ids).toEqual([]);
      expect(r.errors.map((e) => [e.line, e.column])).toEqual([
        [3, 'source'],
        [4, 'lon'],
        [5, 'category_code'],
        [6, 'lon'],
        [7, null],
        [8, 'urgency'],
        [10, 'reported_at'],
        [11, 'reported_at'],
      ]);
      expect(r.errors[0]!.message).toContain('source must be one of');
      expect(r.errors[2]!.message).toContain('no category with code 9999');
      expect(r.errors[3]!.message).toContain('outside every area');
      expect(r.errors[4]!.message).toBe('expected 7 fields, found 4');
      expect(r.errors[7]!.message).toContain('in the future');
      expect(count()).toBe(0);
    }
  });

  it('checks the header', async () => {
    const r = await importCsv('source,category_code,lon,colour\ngrid,0101,120.02,red\n', false);
    expect(r.errors).toEqual([
      { line: 1, column: 'colour', message: expect.stringContaining('unknown column "colour"') },
      { line: 1, column: 'lat', message: 'required column lat is missing' },
    ]);
    expect((await importCsv('\r\n', true)).errors[0]!.message).toContain('header row is required');
    const empty = await tc.core.registry.invoke('cases.importCsv', { csv: '', dryRun: true, actor: 'x' });
    expect(empty.ok === false && empty.error.code).toBe('validation');
    expect((await importCsv('source,source\n', true)).errors[0]!.message).toContain('appears twice');
    expect((await importCsv('source,category_code,lon,lat\n"grid,0101,1,2\n', true)).errors).toEqual([
      { line: 2, column: null, message: 'line 2: a quoted field is not closed' },
    ]);
  });
});

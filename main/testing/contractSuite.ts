/**
 * The contract test suite: the same checks run against every transport (HTTP/WebSocket host,
 * Electron IPC through an in-process stand-in). A transport passes when a client built on it
 * behaves exactly like a direct call into the core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, EventPayload } from '../../shared/api';
import type { Core } from '../core/core';

export interface ContractHarness {
  client: ApiClient;
  core: Core;
  teardown(): Promise<void>;
}

/** A small fixture of areas and cases written straight into the store. */
export function seedContractFixture(core: Core): void {
  const now = Date.now();
  const square = (x: number, y: number, d: number): string =>
    JSON.stringify({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
  const insArea = core.db.prepare(`INSERT INTO areas(id, parent_id, level, code, name, cx, cy, min_x, min_y, max_x, max_y, geometry, updated_at)
    VALUES (@id, @parent, @level, @code, @name, @cx, @cy, @x, @y, @x2, @y2, @geometry, @now)`);
  const insRtree = core.db.prepare('INSERT INTO areas_rtree(rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
  const area = (id: string, parent: string | null, level: number, code: string, name: string, x: number, y: number, d: number): void => {
    const info = insArea.run({ id, parent, level, code, name, cx: x + d / 2, cy: y + d / 2, x, y, x2: x + d, y2: y + d, geometry: square(x, y, d), now });
    insRtree.run(info.lastInsertRowid, x, x + d, y, y + d);
  };
  core.db.transaction(() => {
    area('t-city', null, 1, '330100', '测试市', 120, 30, 1);
    area('t-district', 't-city', 2, '330110', '测试区', 120, 30, 0.5);
    area('t-town', 't-district', 3, '330110001', '测试镇', 120, 30, 0.25);
    area('t-community', 't-town', 4, '330110001001', '测试社区', 120, 30, 0.1);
    area('t-grid', 't-community', 5, '330110001001001', '测试网格', 120, 30, 0.05);
    const insCase = core.db.prepare(`INSERT INTO cases(id, code, source, class_code, category_code, title, address, lon, lat, grid_id, community_id, town_id, district_id,
      urgency, state, reporter_name, reporter_phone, reported_at, updated_at) VALUES (?, ?, ?, '01', '0101', ?, '测试路1号', 120.02, 30.02, 't-grid', 't-community', 't-town', 't-district', ?, ?, '张三', '13812345678', ?, ?)`);
    insCase.run('t-case-1', 'T-0001', 'grid', '测试路暴露垃圾', 0, 'reported', now - 60_000, now);
    insCase.run('t-case-2', 'T-0002', 'hotline', '测试路道路不洁', 2, 'dispatched', now - 120_000, now);
    insCase.run('t-case-3', 'T-0003', 'public', '测试路垃圾满溢', 1, 'closed', now - 180_000, now);
  })();
}

export function defineContractSuite(label: string, setup: () => Promise<ContractHarness>): void {
  describe(`API contract over ${label}`, () => {
    let h: ContractHarness;
    beforeAll(async () => {
      h = await setup();
      seedContractFixture(h.core);
    });
    afterAll(async () => {
      await h?.teardown();
    });

    it('answers system.health with the version and schema version', async () => {
      const r = await h.client.call('system.health', {});
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(r.value.schemaVersion).toBeGreaterThanOrEqual(1);
    });

    it('refuses an unknown method with unknown_method', async () => {
      const r = await (h.client.call as (m: string, i: unknown) => Promise<unknown>)('no.such.method', {});
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    });

    it('refuses bad input with a validation error naming the field', async () => {
      const r = await (h.client.call as (m: string, i: unknown) => Promise<unknown>)('cases.list', { limit: 'fifty' });
      expect(r).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.limit' } });
      const r2 = await (h.client.call as (m: string, i: unknown) => Promise<unknown>)('cases.list', { states: ['exploded'] });
      expect(r2).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.states.0' } });
      const r3 = await (h.client.call as (m: string, i: unknown) => Promise<unknown>)('areas.get', { id: 'x', extra: 1 });
      expect(r3).toMatchObject({ ok: false, error: { code: 'validation' } });
    });

    it('answers not_found for a missing object', async () => {
      const r = await h.client.call('areas.get', { id: 'nowhere' });
      expect(r).toMatchObject({ ok: false, error: { code: 'not_found', field: 'input.id' } });
    });

    it('lists, filters and pages cases in the core', async () => {
      const all = await h.client.call('cases.list', { sort: 'reported_desc' });
      expect(all.ok && all.value.items.map((c) => c.id)).toEqual(['t-case-1', 't-case-2', 't-case-3']);
      const open = await h.client.call('cases.list', { states: ['reported', 'dispatched'], areaId: 't-town' });
      expect(open.ok && open.value.total).toBe(2);
      const page = await h.client.call('cases.list', { sort: 'reported_desc', limit: 1, offset: 1 });
      expect(page.ok && page.value.items.map((c) => c.id)).toEqual(['t-case-2']);
      const urgentFirst = await h.client.call('cases.list', {});
      expect(urgentFirst.ok && urgentFirst.value.items[0]?.urgency).toBe('critical');
    });

    it('masks personal data in case detail', async () => {
      const r = await h.client.call('cases.get', { id: 't-case-1' });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.reporterPhone).toBe('138****5678');
      expect(r.value.reporterName).toBe('张*');
    });

    it('resolves a point to its grid and every level above', async () => {
      const r = await h.client.call('areas.locate', { lon: 120.01, lat: 30.01 });
      expect(r.ok && r.value.chain.map((a) => a.level)).toEqual(['city', 'district', 'town', 'community', 'grid']);
    });

    it('pushes events to subscribers, and unsubscribe stops them', async () => {
      const seen: Array<EventPayload<'system.mode'>> = [];
      const got = new Promise<void>((resolve) => {
        const off = h.client.on('system.mode', (p) => {
          seen.push(p);
          off();
          resolve();
        });
      });
      const r = await h.client.call('system.setMode', { mode: 'emergency', actor: '值班指挥长' });
      expect(r.ok).toBe(true);
      await got;
      expect(seen[0]).toMatchObject({ mode: 'emergency', actor: '值班指挥长' });
      const back = await h.client.call('system.setMode', { mode: 'normal', actor: '值班指挥长' });
      expect(back.ok).toBe(true);
      // a round trip after the second change guarantees its event (if any) was delivered first
      await h.client.call('system.health', {});
      expect(seen).toHaveLength(1);
      const info = await h.client.call('system.info', {});
      expect(info.ok && info.value.mode).toBe('normal');
    });
  });
}

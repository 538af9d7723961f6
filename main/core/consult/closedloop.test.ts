import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMessage, MethodName, MethodOutput } from '../../../shared/api';
import { createCore, type Core } from '../core';
import { openStore } from '../db/store';
import { silentLogger } from '../log';
import { SmallCity } from './testkit';

const NOW = Date.parse('2026-11-23T09:00:00+08:00'); // a Monday
const HOUR = 3_600_000;

/** Decisions through the real closed loop (issue 3): cases.create, cases.act, the deadline clock. */
describe('decisions in the closed loop', () => {
  let core: Core;
  let dir: string;
  let city: SmallCity;
  let clock = NOW;
  const events: EventMessage[] = [];
  const call = async <M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> => {
    const r = await core.registry.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-consult-loop-'));
    const db = openStore(dir);
    city = new SmallCity(db).build(NOW - 30 * 24 * HOUR);
    db.close();
    clock = NOW;
    core = await createCore({ dataDir: dir, demo: 'none', host: 'test', log: silentLogger, now: () => clock });
    events.length = 0;
    core.bus.subscribe((m) => events.push(m));
  });
  afterEach(async () => {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('become dispatched cases with source consultation, followed to closure and shown the next morning', async () => {
    const session = await call('consult.session.open', { chair: '陈指挥长' });
    const decision = await call('consult.decisions.record', {
      sessionId: session.id,
      itemId: 'map',
      title: '西一1号网格占道经营专项整治',
      detail: '城管执法局牵头，当日完成。',
      departmentId: city.departments.get('CG'),
      areaId: 'g4',
      categoryCode: '0402',
      deadline: '2026-11-24T18:00:00+08:00',
      actor: '陈指挥长',
    });
    expect(decision.caseError).toBeNull();
    expect(decision).toMatchObject({ caseState: 'dispatched', outcome: 'in_progress' });
    const c = await call('cases.get', { id: decision.caseId });
    expect(c).toMatchObject({ source: 'consultation', state: 'dispatched', categoryCode: '0402', gridId: 'g4', departmentId: city.departments.get('CG') });
    expect(c.history.map((h) => h.action)).toEqual(expect.arrayContaining(['register', 'dispatch']));
    expect(c.description).toContain('会商要求完成时限');

    // The unit handles it and the inspector passes it: the decision is done.
    clock += 2 * HOUR;
    let v = c.version;
    for (const step of [
      { action: 'accept', role: 'unit' },
      { action: 'handle', role: 'unit', note: '已清理' },
      { action: 'verify_pass', role: 'inspector' },
    ]) {
      const r = await call('cases.act', { id: c.id, version: v, actor: '处置人', ...step });
      v = r.case.version;
    }
    const updates = events.filter((e) => e.event === 'consult.decision').map((e) => (e.payload as { outcome: string }).outcome);
    expect(updates.at(-1)).toBe('done');

    clock = NOW + 24 * HOUR;
    const next = await call('consult.session.open', { chair: '周指挥长' });
    const followup = next.agenda.items.find((i) => i.kind === 'followup');
    if (followup?.kind !== 'followup') throw new Error('no follow-up');
    expect(followup.decisions.map((d) => [d.title, d.outcome, d.caseState])).toEqual([['西一1号网格占道经营专项整治', 'done', 'closed']]);
  });
});

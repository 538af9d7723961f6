import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../shared/api';
import { silentLogger } from './log';
import { EventBus, HandlerRegistry } from './registry';

describe('HandlerRegistry', () => {
  it('refuses duplicate handlers and names outside the contract', () => {
    const r = new HandlerRegistry(silentLogger);
    r.register('system.health', () => ({ version: '1.0.0', schemaVersion: 1, startedAt: '2026-11-21T08:00:00.000+08:00', host: 'test' }));
    expect(() => r.register('system.health', () => ({ version: '1.0.0', schemaVersion: 1, startedAt: '2026-11-21T08:00:00.000+08:00', host: 'test' }))).toThrow(
      /already registered/,
    );
    expect(() => (r.register as (n: string, h: () => unknown) => void)('nope.nothing', () => 1)).toThrow(/not in the API contract/);
  });

  it('validates input, maps thrown ApiFailures and hides crashes behind internal errors', async () => {
    const r = new HandlerRegistry(silentLogger);
    r.register('areas.get', ({ id }) => {
      if (id === 'boom') throw new Error('database exploded');
      throw new ApiFailure('not_found', `no area ${id}`, 'input.id');
    });
    expect(await r.call('areas.get', { id: 42 }, { transport: 'internal' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.id' } });
    expect(await r.call('areas.get', { id: 'x' }, { transport: 'internal' })).toEqual({ ok: false, error: { code: 'not_found', message: 'no area x', field: 'input.id' } });
    expect(await r.call('areas.get', { id: 'boom' }, { transport: 'internal' })).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await r.call('system.info', {}, { transport: 'internal' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('refuses a handler result that breaks the output schema', async () => {
    const r = new HandlerRegistry(silentLogger);
    (r.register as (n: string, h: () => unknown) => void)('system.health', () => ({ version: 3 }));
    expect(await r.call('system.health', {}, { transport: 'internal' })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('EventBus', () => {
  it('delivers valid events, drops invalid ones, survives a throwing listener, and unsubscribes', () => {
    const bus = new EventBus(silentLogger);
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('bad listener');
    });
    const off = bus.subscribe((m) => seen.push(m.event));
    bus.emit('system.mode', { mode: 'emergency', modeSince: '2026-11-21T08:00:00.000+08:00', actor: 'x' });
    (bus.emit as (n: string, p: unknown) => void)('system.mode', { mode: 'panic' });
    off();
    bus.emit('system.mode', { mode: 'normal', modeSince: '2026-11-21T08:00:00.000+08:00', actor: 'x' });
    expect(seen).toEqual(['system.mode']);
  });
});

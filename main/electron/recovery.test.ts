import { describe, expect, it } from 'vitest';
import { HANG_GRACE_MS, ReloadBackoff } from './recovery';

describe('ReloadBackoff', () => {
  it('doubles the delay for failures in a row, up to the cap, and never gives up', () => {
    const b = new ReloadBackoff({ baseMs: 1_000, maxMs: 60_000 });
    b.loaded(0);
    const delays = Array.from({ length: 10 }, (_, i) => b.failure(1_000 + i));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
    expect(b.consecutiveFailures).toBe(10);
    // Still answering after many more failures.
    for (let i = 0; i < 1_000; i++) expect(b.failure(2_000)).toBe(60_000);
  });

  it('keeps backing off when the page crashes again soon after reloading', () => {
    const b = new ReloadBackoff({ stableAfterMs: 300_000 });
    let now = 0;
    b.loaded(now);
    now += 10_000;
    expect(b.failure(now)).toBe(1_000);
    b.loaded((now += 1_000));
    now += 20_000;
    expect(b.failure(now)).toBe(2_000);
    b.loaded((now += 2_000));
    expect(b.failure((now += 5_000))).toBe(4_000);
  });

  it('starts again from the base after the page ran stably', () => {
    const b = new ReloadBackoff({ stableAfterMs: 300_000 });
    b.loaded(0);
    b.failure(1);
    b.failure(2);
    b.failure(3);
    b.loaded(10_000);
    expect(b.failure(10_000 + 300_000)).toBe(1_000);
    expect(b.consecutiveFailures).toBe(1);
  });

  it('backs off failures before the first load (the page never loaded)', () => {
    const b = new ReloadBackoff();
    expect([b.failure(0), b.failure(0), b.failure(0)]).toEqual([1_000, 2_000, 4_000]);
  });

  it('refuses nonsensical options', () => {
    expect(() => new ReloadBackoff({ baseMs: 0 })).toThrow(RangeError);
    expect(() => new ReloadBackoff({ baseMs: 5_000, maxMs: 1_000 })).toThrow(RangeError);
    expect(() => new ReloadBackoff({ factor: 0.5 })).toThrow(RangeError);
  });

  it('gives a hung renderer a grace period before killing it', () => {
    expect(HANG_GRACE_MS).toBeGreaterThanOrEqual(5_000);
    expect(HANG_GRACE_MS).toBeLessThanOrEqual(60_000);
  });
});

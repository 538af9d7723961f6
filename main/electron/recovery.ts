/**
 * Renderer recovery policy: a wall must never stay blank. A crashed, killed or hung renderer is
 * reloaded after a delay that doubles with each failure in a row (1 s, 2 s, 4 s … capped at
 * 60 s) and never gives up; a renderer that stayed up for `stableAfterMs` starts again from the
 * base delay. Pure: the clock is passed in.
 */
export interface BackoffOptions {
  baseMs?: number;
  factor?: number;
  maxMs?: number;
  /** A renderer that ran this long since its last (re)load counts as recovered. */
  stableAfterMs?: number;
}

export class ReloadBackoff {
  private readonly baseMs: number;
  private readonly factor: number;
  private readonly maxMs: number;
  private readonly stableAfterMs: number;
  private failures = 0;
  private lastLoadAt: number | null = null;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 1_000;
    this.factor = opts.factor ?? 2;
    this.maxMs = opts.maxMs ?? 60_000;
    this.stableAfterMs = opts.stableAfterMs ?? 5 * 60_000;
    if (!(this.baseMs > 0) || !(this.factor >= 1) || !(this.maxMs >= this.baseMs) || !(this.stableAfterMs >= 0)) {
      throw new RangeError('ReloadBackoff: invalid options');
    }
  }

  /** Record that the page (re)loaded at `now`. */
  loaded(now: number): void {
    this.lastLoadAt = now;
  }

  /** Record a failure at `now` and return how long to wait before reloading. */
  failure(now: number): number {
    if (this.lastLoadAt !== null && now - this.lastLoadAt >= this.stableAfterMs) this.failures = 0;
    const delay = Math.min(this.maxMs, this.baseMs * this.factor ** this.failures);
    this.failures += 1;
    return Math.round(delay);
  }

  /** Failures in a row so far (for the log). */
  get consecutiveFailures(): number {
    return this.failures;
  }
}

/** How long a renderer may stay unresponsive before it is killed and reloaded. */
export const HANG_GRACE_MS = 15_000;

/**
 * The player's state machine, without the DOM (unit-tested with a fake clock):
 *
 *   connecting ──first frame──▶ playing ──no frame for stallMs──▶ stalled
 *       │                          ▲                                  │
 *       │ fatal / connectTimeout   └────────── frame ─────────────────┘
 *       ▼
 *     failed ──(the player retries after a back-off)──▶ connecting
 *
 * A stalled stream that does not recover within connectTimeoutMs more is failed too.
 */
import { backoffMs } from '../../../shared/domain/video';

export type PlayerState = 'idle' | 'connecting' | 'playing' | 'stalled' | 'failed';

export interface MonitorOptions {
  stallMs: number;
  connectTimeoutMs: number;
  now: () => number;
  /** Back-off before retry n (1-based). */
  backoff?: (attempt: number) => number;
  onChange(status: MonitorStatus): void;
}

export interface MonitorStatus {
  state: PlayerState;
  detail: string;
  /** ms from the attempt's start to its first frame (set once playing). */
  firstFrameMs: number | null;
  /** Consecutive failed attempts. */
  failures: number;
  /** When the next attempt is due (epoch ms), while failed. */
  retryAt: number | null;
}

export class PlaybackMonitor {
  private status: MonitorStatus = { state: 'idle', detail: '', firstFrameMs: null, failures: 0, retryAt: null };
  private startedAt = 0;
  private lastFrameAt = 0;
  private stalledAt = 0;

  constructor(private readonly opts: MonitorOptions) {}

  get current(): MonitorStatus {
    return this.status;
  }

  /** A new attempt begins. */
  start(): void {
    this.startedAt = this.opts.now();
    this.lastFrameAt = 0;
    this.set({ state: 'connecting', detail: '', firstFrameMs: null, retryAt: null });
  }

  /** A frame was shown (or playback time advanced). */
  frame(): void {
    const now = this.opts.now();
    const s = this.status.state;
    if (s !== 'connecting' && s !== 'playing' && s !== 'stalled') return;
    this.lastFrameAt = now;
    if (s === 'connecting') this.set({ state: 'playing', detail: '', firstFrameMs: now - this.startedAt, failures: 0, retryAt: null });
    else if (s === 'stalled') this.set({ state: 'playing', detail: '', failures: 0 });
  }

  /** The engine gave up, or the attempt timed out. */
  fail(detail: string): void {
    if (this.status.state === 'failed' || this.status.state === 'idle') return;
    const failures = this.status.failures + 1;
    const wait = (this.opts.backoff ?? ((n: number) => backoffMs(n, 2_000, 60_000)))(failures);
    this.set({ state: 'failed', detail, failures, retryAt: this.opts.now() + wait });
  }

  /** Check the timers; the player calls this about once a second. */
  tick(): void {
    const now = this.opts.now();
    const s = this.status.state;
    if (s === 'connecting' && now - this.startedAt >= this.opts.connectTimeoutMs) {
      this.fail(`no picture within ${Math.round(this.opts.connectTimeoutMs / 1000)} s`);
    } else if (s === 'playing' && now - this.lastFrameAt >= this.opts.stallMs) {
      this.stalledAt = now;
      this.set({ state: 'stalled', detail: `no new frame for ${Math.round((now - this.lastFrameAt) / 1000)} s` });
    } else if (s === 'stalled' && now - this.stalledAt >= this.opts.connectTimeoutMs) {
      this.fail(`stalled for ${Math.round((now - this.lastFrameAt) / 1000)} s`);
    }
  }

  /** Whether a retry is due (failed and the back-off has passed). */
  retryDue(): boolean {
    return this.status.state === 'failed' && this.status.retryAt !== null && this.opts.now() >= this.status.retryAt;
  }

  stop(): void {
    this.set({ state: 'idle', detail: '', retryAt: null });
  }

  private set(patch: Partial<MonitorStatus>): void {
    this.status = { ...this.status, ...patch };
    this.opts.onChange(this.status);
  }
}

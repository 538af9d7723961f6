/**
 * Retention of readings: raw rows for `rawRetentionDays`, 1-minute roll-ups for
 * `minuteRetentionDays`, 1-hour roll-ups for `hourRetentionDays`. The tables are keyed time first
 * (migration 003), so expired rows sit at the front of each B-tree: a pass deletes them `chunk`
 * rows at a time (each chunk is three primary-key range deletes up to the chunk-th row), one
 * small transaction per chunk, yielding to the event loop in between so ingest never waits long.
 */
import type { Statement } from 'better-sqlite3';
import type { MonitoringSettings } from '../../../shared/api/monitoring';
import { DAY_MS } from '../../../shared/time';
import type { Db } from '../db/store';
import { RAW_BUCKET } from './ingest';

export interface RetentionOptions {
  chunk?: number;
}

interface Table {
  /** The leading key column and how a time maps to it. */
  lead: 'b' | 't';
  toLead: (t: number) => number;
  cutoff: (s: MonitoringSettings, now: number) => number;
  boundary: Statement<[number]>;
  before: Statement<[number]>;
  sameLeadLowerSensor: Statement<[number, number]>;
  sameSensorEarlier: Statement<[number, number, number]>;
}

export class Retention {
  lastRunAt: number | null = null;
  lastDeleted = 0;
  private running: Promise<number> | null = null;
  private stopped = false;
  private readonly chunk: number;
  private readonly tables: Table[];

  constructor(
    private readonly db: Db,
    private readonly settings: () => MonitoringSettings,
    private readonly now: () => number,
    opts: RetentionOptions = {},
  ) {
    this.chunk = opts.chunk ?? 5_000;
    const table = (name: string, lead: 'b' | 't', toLead: (t: number) => number, cutoff: Table['cutoff']): Table => ({
      lead,
      toLead,
      cutoff,
      boundary: db.prepare(`SELECT ${lead} AS lead, sensor_rid AS rid, t FROM ${name} ORDER BY ${lead}, sensor_rid, t LIMIT 1 OFFSET ?`),
      before: db.prepare(`DELETE FROM ${name} WHERE ${lead} < ?`),
      sameLeadLowerSensor: db.prepare(`DELETE FROM ${name} WHERE ${lead} = ? AND sensor_rid < ?`),
      sameSensorEarlier: db.prepare(`DELETE FROM ${name} WHERE ${lead} = ? AND sensor_rid = ? AND t < ?`),
    });
    this.tables = [
      table('readings', 'b', (t) => Math.floor(t / RAW_BUCKET), (s, now) => now - s.rawRetentionDays * DAY_MS),
      table('readings_1m', 't', (t) => t, (s, now) => now - s.minuteRetentionDays * DAY_MS),
      table('readings_1h', 't', (t) => t, (s, now) => now - s.hourRetentionDays * DAY_MS),
    ];
  }

  /** One pass over the three tables; resolves with the rows deleted. Concurrent calls share the pass. */
  run(): Promise<number> {
    if (!this.running) this.running = this.pass().finally(() => (this.running = null));
    return this.running;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Delete at most `chunk` expired rows of one table; returns how many (fewer than chunk: done). */
  private step(tb: Table, cutoffLead: number): number {
    return this.db.transaction(() => {
      const at = tb.boundary.get(this.chunk) as { lead: number; rid: number; t: number } | undefined;
      if (!at || at.lead >= cutoffLead) return tb.before.run(cutoffLead).changes;
      // everything strictly before the chunk-th row (in key order) goes
      return tb.before.run(at.lead).changes + tb.sameLeadLowerSensor.run(at.lead, at.rid).changes + tb.sameSensorEarlier.run(at.lead, at.rid, at.t).changes;
    })();
  }

  private async pass(): Promise<number> {
    const s = this.settings();
    const now = this.now();
    let deleted = 0;
    for (const tb of this.tables) {
      const cutoffLead = tb.toLead(tb.cutoff(s, now));
      for (;;) {
        if (this.stopped) return deleted;
        const n = this.step(tb, cutoffLead);
        deleted += n;
        if (n < this.chunk) break;
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
    }
    this.lastRunAt = now;
    this.lastDeleted = deleted;
    return deleted;
  }
}

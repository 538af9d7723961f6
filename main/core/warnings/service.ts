/**
 * Official warnings (预警信息, CAP 1.2): store, lifecycle (Update replaces, Cancel withdraws, expiry),
 * the map's areas, and the grids, cameras and sensors inside each warning area.
 * Fed by `warnings.ingest`, by POST /api/cap (main/host/cap.ts) and by the watched folder.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { ApiFailure } from '../../../shared/api';
import type { WarningSummary } from '../../../shared/api/monitoring';
import { SENSOR_TYPES, type SensorType } from '../../../shared/domain/model';
import {
  CAP_SEVERITIES,
  WARNING_COLOUR_ZH,
  capAreaBbox,
  circleRing,
  pointInCapArea,
  polygonIntersectsCircle,
  polygonsIntersect,
  preferredInfo,
  warningColour,
  type CapAlert,
  type CapArea,
  type CapReference,
  type CapSeverity,
  type SensorStatus,
  type WarningColour,
  type WarningState,
} from '../../../shared/domain/monitoring';
import { bboxOfGeometry, type AreaGeometry, type PolygonCoords } from '../../../shared/geo';
import { toShanghaiIso } from '../../../shared/time';
import type { CoreContext } from '../core';
import type { Db } from '../db/store';
import { CapError, parseCap } from './cap';
import { watchInbox, type Inbox } from './inbox';

interface CapRow {
  rid: number;
  id: string;
  identifier: string;
  sender: string;
  sent: number;
  status: string;
  msg_type: string;
  scope: string;
  severity: string;
  colour: string;
  event: string;
  headline: string | null;
  effective: number;
  expires: number | null;
  withdrawn: 'superseded' | 'cancelled' | null;
  replaced_by: string | null;
  references_ids: string;
  min_x: number | null;
  min_y: number | null;
  max_x: number | null;
  max_y: number | null;
  doc: string;
  source: 'http' | 'folder' | 'api';
  received_at: number;
  notified: string;
}

export interface WarningsOptions {
  /** The watched folder; null disables it. Default `<dataDir>/cap-inbox`. */
  inboxDir?: string | null;
  inboxPollMs?: number;
  stateCheckMs?: number;
}

export interface IngestResult {
  warning: WarningSummary;
  duplicate: boolean;
  affected: WarningSummary[];
  unmatchedReferences: CapReference[];
}

export interface Warnings {
  ingest(xml: string, source: 'http' | 'folder' | 'api'): IngestResult;
  readonly inbox: Inbox | null;
  /** Announce warnings that came into force or expired (normally on a timer). */
  checkStates(): void;
}

const instances = new WeakMap<Db, Warnings>();
export function warningsOf(ctx: Pick<CoreContext, 'db'>): Warnings {
  const w = instances.get(ctx.db);
  if (!w) throw new Error('warnings are not running in this core');
  return w;
}

const sevOrder = (s: CapSeverity): number => (s === 'Unknown' ? 0 : CAP_SEVERITIES.length - CAP_SEVERITIES.indexOf(s));

function stateOf(r: CapRow, now: number): WarningState {
  if (r.withdrawn) return r.withdrawn;
  if (r.status !== 'Actual' || r.msg_type === 'Cancel' || r.msg_type === 'Ack' || r.msg_type === 'Error') return 'inactive';
  if (r.expires !== null && r.expires <= now) return 'expired';
  if (r.effective > now) return 'pending';
  return 'active';
}

/** Unique areas over every info block (languages usually repeat the same areas). */
function uniqueAreas(alert: CapAlert): CapArea[] {
  const seen = new Map<string, CapArea>();
  for (const info of alert.infos)
    for (const a of info.areas) {
      const key = JSON.stringify([a.polygons, a.circles, a.geocodes]);
      if (!seen.has(key)) seen.set(key, a);
    }
  return [...seen.values()];
}

function polygonsOf(g: AreaGeometry): PolygonCoords[] {
  return g.type === 'Polygon' ? [g.coordinates] : [...g.coordinates];
}

export function registerWarnings(ctx: CoreContext, opts: WarningsOptions = {}): Warnings {
  const { db, registry, bus, log } = ctx;
  const stmt = {
    byId: db.prepare('SELECT * FROM cap_alerts WHERE id = ?'),
    byKey: db.prepare('SELECT * FROM cap_alerts WHERE sender = ? AND identifier = ?'),
    insert: db.prepare(`INSERT INTO cap_alerts(id, identifier, sender, sent, sent_text, status, msg_type, scope, severity, colour, event, headline, effective, expires,
      references_ids, min_x, min_y, max_x, max_y, doc, xml, source, received_at, notified, updated_at)
      VALUES (@id, @identifier, @sender, @sent, @sentText, @status, @msgType, @scope, @severity, @colour, @event, @headline, @effective, @expires,
      @referencesIds, @minX, @minY, @maxX, @maxY, @doc, @xml, @source, @receivedAt, @notified, @receivedAt)`),
    withdraw: db.prepare('UPDATE cap_alerts SET withdrawn = ?, replaced_by = ?, updated_at = ? WHERE id = ? AND withdrawn IS NULL'),
    live: db.prepare(`SELECT * FROM cap_alerts WHERE withdrawn IS NULL AND status = 'Actual' AND msg_type IN ('Alert', 'Update')`),
    // In force at a past moment, as the room knew it then: received by then, effective, not expired,
    // and not yet withdrawn (a superseded or cancelled alert counts until its withdrawal). updated_at
    // is the withdrawal time: `withdraw` is the only statement that changes a stored alert.
    inForceAt: db.prepare(`SELECT * FROM cap_alerts WHERE status = 'Actual' AND msg_type IN ('Alert', 'Update')
      AND received_at <= @at AND effective <= @at AND (expires IS NULL OR expires > @at) AND (withdrawn IS NULL OR updated_at > @at)
      ORDER BY sent`),
    setNotified: db.prepare('UPDATE cap_alerts SET notified = ? WHERE id = ?'),
    recent: db.prepare('SELECT * FROM cap_alerts ORDER BY sent DESC, rid DESC LIMIT ?'),
    areaByCode: db.prepare('SELECT id, level, name, code, geometry FROM areas WHERE code = ?'),
    gridsUnder: db.prepare(`WITH RECURSIVE sub(id, level) AS (SELECT id, level FROM areas WHERE id = ? UNION ALL SELECT a.id, a.level FROM areas a JOIN sub ON a.parent_id = sub.id)
      SELECT a.id, a.name, a.code FROM areas a JOIN sub ON sub.id = a.id WHERE a.level = 5`),
    gridsInBox: db.prepare(`SELECT a.id, a.name, a.code, a.geometry FROM areas a JOIN areas_rtree r ON r.rid = a.rid
      WHERE a.level = 5 AND r.max_x >= ? AND r.min_x <= ? AND r.max_y >= ? AND r.min_y <= ?`),
    camerasInBox: db.prepare('SELECT id, name, status, lon, lat FROM cameras WHERE lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?'),
    sensorsInBox: db.prepare(`SELECT s.id, s.name, s.type, s.status, s.lon, s.lat FROM sensors s JOIN sensors_rtree r ON r.rid = s.rid
      WHERE r.max_x >= ? AND r.min_x <= ? AND r.max_y >= ? AND r.min_y <= ?`),
  };

  const summary = (r: CapRow, now = ctx.now()): WarningSummary => {
    const alert = JSON.parse(r.doc) as CapAlert;
    const info = preferredInfo(alert.infos);
    return {
      id: r.id,
      identifier: r.identifier,
      sender: r.sender,
      sent: toShanghaiIso(r.sent),
      status: alert.status,
      msgType: alert.msgType,
      scope: alert.scope,
      state: stateOf(r, now),
      colour: r.colour as WarningColour,
      colourName: WARNING_COLOUR_ZH[r.colour as WarningColour],
      language: info?.language ?? 'zh-CN',
      event: r.event,
      headline: r.headline,
      senderName: info?.senderName ?? null,
      severity: r.severity as CapSeverity,
      urgency: info?.urgency ?? 'Unknown',
      certainty: info?.certainty ?? 'Unknown',
      effective: toShanghaiIso(r.effective),
      onset: info?.onset ? toShanghaiIso(Date.parse(info.onset)) : null,
      expires: r.expires === null ? null : toShanghaiIso(r.expires),
      areaDescs: [...new Set(alert.infos.flatMap((i) => i.areas.map((a) => a.areaDesc)))],
      bbox: r.min_x === null || r.min_y === null || r.max_x === null || r.max_y === null ? null : [r.min_x, r.min_y, r.max_x, r.max_y],
      languages: [...new Set(alert.infos.map((i) => i.language))],
      receivedAt: toShanghaiIso(r.received_at),
      source: r.source,
      replacedBy: r.replaced_by,
      referencesIds: JSON.parse(r.references_ids) as string[],
    };
  };

  const row = (id: string): CapRow => {
    const r = stmt.byId.get(id) as CapRow | undefined;
    if (!r) throw new ApiFailure('not_found', `no warning with id ${id}`, 'input.id');
    return r;
  };

  /** Extent of the areas: polygons, circles and the areas matched by geocode. */
  const extent = (alert: CapAlert): [number, number, number, number] | null => {
    let box: [number, number, number, number] | null = null;
    const grow = (b: [number, number, number, number]): void => {
      box = box === null ? [...b] : [Math.min(box[0], b[0]), Math.min(box[1], b[1]), Math.max(box[2], b[2]), Math.max(box[3], b[3])];
    };
    for (const a of uniqueAreas(alert)) {
      const b = capAreaBbox(a);
      if (b) grow(b);
      for (const g of a.geocodes)
        for (const ar of stmt.areaByCode.all(g.value) as Array<{ geometry: string }>) {
          const gb = bboxOfGeometry(JSON.parse(ar.geometry) as AreaGeometry);
          if (gb[0] !== Infinity) grow(gb);
        }
    }
    return box;
  };

  const ingest = (xml: string, source: 'http' | 'folder' | 'api'): IngestResult => {
    let alert: CapAlert;
    try {
      alert = parseCap(xml);
    } catch (err) {
      if (err instanceof CapError) throw new ApiFailure('validation', `CAP: ${err.message}`, 'input.xml');
      throw err;
    }
    const existing = stmt.byKey.get(alert.sender, alert.identifier) as CapRow | undefined;
    if (existing) return { warning: summary(existing), duplicate: true, affected: [], unmatchedReferences: [] };

    const now = ctx.now();
    const info = preferredInfo(alert.infos);
    let severity: CapSeverity = 'Unknown';
    for (const i of alert.infos) if (sevOrder(i.severity) > sevOrder(severity)) severity = i.severity;
    const texts = [info?.event, info?.headline, ...alert.infos.flatMap((i) => [i.event, i.headline, ...i.parameters.map((p) => p.value)])];
    const colour = warningColour(severity, ...texts);
    const sent = Date.parse(alert.sent);
    const effectives = alert.infos.map((i) => (i.effective ? Date.parse(i.effective) : sent));
    const expiries = alert.infos.map((i) => (i.expires ? Date.parse(i.expires) : null));
    const effective = effectives.length ? Math.min(...effectives) : sent;
    const expires = expiries.length === 0 || expiries.some((e) => e === null) ? null : Math.max(...(expiries as number[]));
    const box = extent(alert);

    const matched: CapRow[] = [];
    const unmatched: CapReference[] = [];
    for (const ref of alert.references) {
      const r = stmt.byKey.get(ref.sender, ref.identifier) as CapRow | undefined;
      if (r) matched.push(r);
      else unmatched.push(ref);
    }
    const id = `W${toShanghaiIso(sent).slice(0, 10).replace(/-/g, '')}-${crypto.randomBytes(4).toString('hex')}`;
    const probe = { status: alert.status, msg_type: alert.msgType, withdrawn: null, expires, effective } as CapRow;
    const initialState = stateOf(probe, now);
    db.transaction(() => {
      stmt.insert.run({
        id,
        identifier: alert.identifier,
        sender: alert.sender,
        sent,
        sentText: alert.sent,
        status: alert.status,
        msgType: alert.msgType,
        scope: alert.scope,
        severity,
        colour,
        event: info?.event ?? alert.note ?? alert.msgType,
        headline: info?.headline ?? null,
        effective,
        expires,
        referencesIds: JSON.stringify(matched.map((m) => m.id)),
        minX: box ? box[0] : null,
        minY: box ? box[1] : null,
        maxX: box ? box[2] : null,
        maxY: box ? box[3] : null,
        doc: JSON.stringify(alert),
        xml,
        source,
        receivedAt: now,
        notified: initialState,
      });
      if (alert.msgType === 'Update' || alert.msgType === 'Cancel')
        for (const m of matched) stmt.withdraw.run(alert.msgType === 'Update' ? 'superseded' : 'cancelled', id, now, m.id);
    })();
    ctx.touch(now);
    const created = summary(row(id), now);
    const affected = alert.msgType === 'Update' || alert.msgType === 'Cancel' ? matched.map((m) => summary(row(m.id), now)) : [];
    log.info('cap.accepted', { id, identifier: alert.identifier, sender: alert.sender, msgType: alert.msgType, state: created.state, affected: affected.map((a) => a.id), source });
    if (created.state !== 'inactive') bus.emit('warning.changed', { warning: created, change: 'created' });
    for (const a of affected) bus.emit('warning.changed', { warning: a, change: a.state === 'cancelled' ? 'cancelled' : 'superseded' });
    return { warning: created, duplicate: false, affected, unmatchedReferences: unmatched };
  };

  const checkStates = (): void => {
    const now = ctx.now();
    for (const r of stmt.live.all() as CapRow[]) {
      const st = stateOf(r, now);
      if (st === r.notified) continue;
      stmt.setNotified.run(st, r.id);
      if (st === 'active' || st === 'expired') bus.emit('warning.changed', { warning: summary(r, now), change: st === 'active' ? 'activated' : 'expired' });
    }
  };

  // ---- geometry: map features and what lies inside

  type Feature = {
    type: 'Feature';
    properties: { warningId: string; areaDesc: string; colour: WarningColour; event: string; headline: string | null; shape: 'polygon' | 'circle' | 'geocode' };
    geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] };
  };
  const features = (r: CapRow): Feature[] => {
    const alert = JSON.parse(r.doc) as CapAlert;
    const props = { warningId: r.id, colour: r.colour as WarningColour, event: r.event, headline: r.headline };
    const out: Feature[] = [];
    for (const a of uniqueAreas(alert)) {
      for (const ring of a.polygons) out.push({ type: 'Feature', properties: { ...props, areaDesc: a.areaDesc, shape: 'polygon' }, geometry: { type: 'Polygon', coordinates: [ring] } });
      for (const c of a.circles)
        out.push({ type: 'Feature', properties: { ...props, areaDesc: a.areaDesc, shape: 'circle' }, geometry: { type: 'Polygon', coordinates: [circleRing(c.lon, c.lat, c.radiusKm)] } });
      for (const g of a.geocodes)
        for (const ar of stmt.areaByCode.all(g.value) as Array<{ geometry: string }>) {
          const geom = JSON.parse(ar.geometry) as AreaGeometry;
          out.push({ type: 'Feature', properties: { ...props, areaDesc: a.areaDesc, shape: 'geocode' }, geometry: { type: geom.type, coordinates: [...geom.coordinates] } });
        }
    }
    return out;
  };

  const inside = (alert: CapAlert, limit: number) => {
    const grids = new Map<string, { id: string; name: string; code: string }>();
    const cameras = new Map<string, { id: string; name: string; status: string }>();
    const sensors = new Map<string, { id: string; name: string; type: SensorType; status: SensorStatus }>();
    const addSensor = (s: { id: string; name: string; type: string; status: string }): void => {
      if (!(SENSOR_TYPES as readonly string[]).includes(s.type)) return;
      sensors.set(s.id, { id: s.id, name: s.name, type: s.type as SensorType, status: (['normal', 'warning', 'alarm', 'offline'].includes(s.status) ? s.status : 'normal') as SensorStatus });
    };
    for (const a of uniqueAreas(alert)) {
      const shapes: Array<{ box: [number, number, number, number]; grid: (g: PolygonCoords) => boolean; point: (lon: number, lat: number) => boolean }> = [];
      for (const ring of a.polygons) {
        const b = capAreaBbox({ polygons: [ring], circles: [] })!;
        shapes.push({ box: b, grid: (g) => polygonsIntersect(g, [ring]), point: (x, y) => pointInCapArea(x, y, { polygons: [ring], circles: [] }) });
      }
      for (const c of a.circles) {
        const b = capAreaBbox({ polygons: [], circles: [c] })!;
        shapes.push({ box: b, grid: (g) => polygonIntersectsCircle(g, c.lon, c.lat, c.radiusKm), point: (x, y) => pointInCapArea(x, y, { polygons: [], circles: [c] }) });
      }
      for (const s of shapes) {
        const [x0, y0, x1, y1] = s.box;
        for (const g of stmt.gridsInBox.all(x0, x1, y0, y1) as Array<{ id: string; name: string; code: string; geometry: string }>) {
          if (grids.has(g.id)) continue;
          if (polygonsOf(JSON.parse(g.geometry) as AreaGeometry).some((p) => s.grid(p))) grids.set(g.id, { id: g.id, name: g.name, code: g.code });
        }
        for (const c of stmt.camerasInBox.all(x0, x1, y0, y1) as Array<{ id: string; name: string; status: string; lon: number; lat: number }>)
          if (!cameras.has(c.id) && s.point(c.lon, c.lat)) cameras.set(c.id, { id: c.id, name: c.name, status: c.status });
        for (const se of stmt.sensorsInBox.all(x0, x1, y0, y1) as Array<{ id: string; name: string; type: string; status: string; lon: number; lat: number }>)
          if (!sensors.has(se.id) && s.point(se.lon, se.lat)) addSensor(se);
      }
      for (const g of a.geocodes) {
        for (const ar of stmt.areaByCode.all(g.value) as Array<{ id: string }>) {
          const under = stmt.gridsUnder.all(ar.id) as Array<{ id: string; name: string; code: string }>;
          for (const gr of under) grids.set(gr.id, gr);
          const ids = under.map((u) => u.id);
          for (let i = 0; i < ids.length; i += 500) {
            const chunk = ids.slice(i, i + 500);
            const marks = chunk.map(() => '?').join(', ');
            for (const c of db.prepare(`SELECT id, name, status FROM cameras WHERE grid_id IN (${marks})`).all(...chunk) as Array<{ id: string; name: string; status: string }>)
              cameras.set(c.id, c);
            for (const se of db.prepare(`SELECT id, name, type, status FROM sensors WHERE grid_id IN (${marks})`).all(...chunk) as Array<{ id: string; name: string; type: string; status: string }>)
              addSensor(se);
          }
        }
      }
    }
    const counts = { grids: grids.size, cameras: cameras.size, sensors: sensors.size };
    const byName = <T extends { name: string; id: string }>(m: Map<string, T>): T[] => [...m.values()].sort((p, q) => p.name.localeCompare(q.name, 'zh-CN') || p.id.localeCompare(q.id)).slice(0, limit);
    return {
      grids: byName(grids),
      cameras: byName(cameras),
      sensors: byName(sensors),
      counts,
      truncated: counts.grids > limit || counts.cameras > limit || counts.sensors > limit,
    };
  };

  // ---- methods

  registry.register('warnings.list', ({ states, limit }) => {
    const want = new Set<WarningState>(states && states.length > 0 ? states : ['active']);
    const now = ctx.now();
    const out: WarningSummary[] = [];
    // Newest first; warnings are few (hundreds a year), so filtering by the computed state is cheap.
    for (const r of stmt.recent.all(5_000) as CapRow[]) {
      if (!want.has(stateOf(r, now))) continue;
      out.push(summary(r, now));
      if (out.length >= limit) break;
    }
    return out;
  });

  registry.register('warnings.get', ({ id, limit }) => {
    const r = row(id);
    const alert = JSON.parse(r.doc) as CapAlert;
    return { warning: summary(r), alert, features: { type: 'FeatureCollection' as const, features: features(r) }, inside: inside(alert, limit) };
  });

  registry.register('warnings.features', ({ at }) => {
    const now = ctx.now();
    const when = at === undefined ? now : Math.min(Date.parse(at), now);
    const rows = at === undefined ? (stmt.live.all() as CapRow[]).filter((r) => stateOf(r, now) === 'active') : (stmt.inForceAt.all({ at: when }) as CapRow[]);
    return { type: 'FeatureCollection' as const, features: rows.flatMap(features) };
  });

  registry.register('warnings.ingest', ({ xml, source }) => ingest(xml, source));

  const check = setInterval(() => {
    try {
      checkStates();
    } catch (err) {
      log.error('cap.state_check_failed', { error: String(err) });
    }
  }, opts.stateCheckMs ?? 15_000);
  check.unref();
  ctx.timers.add(check);

  let inbox: Inbox | null = null;
  const inboxDir = opts.inboxDir === undefined ? path.join(ctx.dataDir, 'cap-inbox') : opts.inboxDir;
  if (inboxDir) {
    inbox = watchInbox({
      dir: inboxDir,
      log,
      ...(opts.inboxPollMs !== undefined ? { pollMs: opts.inboxPollMs } : {}),
      accept: async (xml) => {
        const res = await registry.invoke('warnings.ingest', { xml, source: 'folder' });
        if (!res.ok) throw new Error(res.error.message);
      },
    });
    ctx.onClose.push(() => inbox?.close());
  }

  const w: Warnings = { ingest, inbox, checkStates };
  instances.set(db, w);
  return w;
}

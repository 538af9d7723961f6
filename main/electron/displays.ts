/**
 * Which window goes on which display: the versioned `displays.json` in the data directory
 * (DESIGN.md convention 10), the default assignment, and the validation of saved placements
 * against the displays that are connected now. Pure except for the small file helpers at the end;
 * Electron's Display objects satisfy DisplayInfo.
 *
 * displays.json, version 1:
 *   {
 *     "version": 1,
 *     "windows": [                                  // optional; absent = automatic
 *       { "id": "wall", "role": "wall", "display": "secondary" },
 *       { "id": "console", "role": "console", "display": "primary" }
 *     ],
 *     "placements": { "console": { "displayId": 1, "displayLabel": "DELL U2720Q", "bounds": {…} } }
 *   }
 * "display" is "primary", "secondary" (the largest display that is not the primary), {"id": n},
 * {"label": "…"} or {"index": n} (counted left to right, from 0). "placements" is written by the
 * app when a windowed window is moved or resized.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WINDOW_ROLES, type WindowRole } from '../../shared/api/bridge';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The part of Electron's Display the planner reads. */
export interface DisplayInfo {
  readonly id: number;
  readonly label: string;
  readonly bounds: Rect;
  readonly workArea: Rect;
}

export const DISPLAYS_FILE = 'displays.json';
export const DISPLAY_CONFIG_VERSION = 1;

const rectSchema = z
  .object({
    x: z.number().int().min(-100_000).max(100_000),
    y: z.number().int().min(-100_000).max(100_000),
    width: z.number().int().min(100).max(100_000),
    height: z.number().int().min(100).max(100_000),
  })
  .strict();

const displaySelectorSchema = z.union([
  z.enum(['primary', 'secondary']),
  z.object({ id: z.number().int() }).strict(),
  z.object({ label: z.string().min(1).max(200) }).strict(),
  z.object({ index: z.number().int().min(0).max(63) }).strict(),
]);
export type DisplaySelector = z.infer<typeof displaySelectorSchema>;

const windowSpecSchema = z
  .object({
    /** Stable key of the window (its saved placement is filed under it). */
    id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lower-case letters, digits and dashes'),
    role: z.enum(WINDOW_ROLES),
    display: displaySelectorSchema,
    /** Default: a wall is full-screen unless it shares its display with a console. */
    fullscreen: z.boolean().optional(),
  })
  .strict();
export type WindowSpec = z.infer<typeof windowSpecSchema>;

const placementSchema = z
  .object({
    displayId: z.number().int(),
    displayLabel: z.string().max(200).optional(),
    bounds: rectSchema,
    maximized: z.boolean().optional(),
  })
  .strict();
export type Placement = z.infer<typeof placementSchema>;

export const displayConfigSchema = z
  .object({
    version: z.literal(DISPLAY_CONFIG_VERSION),
    windows: z.array(windowSpecSchema).min(1).max(16).optional(),
    placements: z.record(z.string(), placementSchema).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    for (const [i, spec] of (config.windows ?? []).entries()) {
      if (seen.has(spec.id)) ctx.addIssue({ code: 'custom', path: ['windows', i, 'id'], message: `duplicate window id ${spec.id}` });
      seen.add(spec.id);
    }
  });
export type DisplayConfig = z.infer<typeof displayConfigSchema>;

export const DEFAULT_DISPLAY_CONFIG: DisplayConfig = { version: DISPLAY_CONFIG_VERSION };

/** Upgrades from version N to N + 1, keyed by N. Version 1 is the first: nothing to upgrade yet. */
export type ConfigMigration = (raw: Record<string, unknown>) => Record<string, unknown>;
export const DISPLAY_CONFIG_MIGRATIONS: Readonly<Record<number, ConfigMigration>> = {};

export type ParsedDisplayConfig =
  | { ok: true; config: DisplayConfig; migratedFrom: number | null }
  | { ok: false; reason: string; /** Written by a newer version of the app: leave the file alone. */ newer: boolean };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validate a parsed displays.json, upgrading older versions step by step. */
export function parseDisplayConfig(
  raw: unknown,
  migrations: Readonly<Record<number, ConfigMigration>> = DISPLAY_CONFIG_MIGRATIONS,
): ParsedDisplayConfig {
  if (!isRecord(raw)) return { ok: false, reason: 'not a JSON object', newer: false };
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, reason: 'missing or invalid "version"', newer: false };
  }
  if (version > DISPLAY_CONFIG_VERSION) {
    return { ok: false, reason: `version ${version} is newer than this app understands (${DISPLAY_CONFIG_VERSION})`, newer: true };
  }
  let current: Record<string, unknown> = raw;
  for (let v = version; v < DISPLAY_CONFIG_VERSION; v++) {
    const step = migrations[v];
    if (!step) return { ok: false, reason: `no migration from version ${v}`, newer: false };
    current = { ...step(current), version: v + 1 };
  }
  const parsed = displayConfigSchema.safeParse(current);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return { ok: false, reason: `${where}: ${issue?.message ?? 'invalid'}`, newer: false };
  }
  return { ok: true, config: parsed.data, migratedFrom: version === DISPLAY_CONFIG_VERSION ? null : version };
}

// ---------------------------------------------------------------------------------------------
// Planning

export interface WindowPlan {
  id: string;
  role: WindowRole;
  displayId: number;
  bounds: Rect;
  fullscreen: boolean;
  maximized: boolean;
  /** Why the plan differs from the configuration (a missing display, a stale placement…). */
  notes: string[];
}

const area = (r: Rect): number => r.width * r.height;

/** Displays from left to right, then top to bottom. */
export function orderDisplays(displays: readonly DisplayInfo[]): DisplayInfo[] {
  return [...displays].sort((a, b) => a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y || a.id - b.id);
}

/** The largest display that is not the primary (ties: the leftmost), or null on one monitor. */
export function secondaryDisplay(displays: readonly DisplayInfo[], primaryId: number): DisplayInfo | null {
  const others = orderDisplays(displays).filter((d) => d.id !== primaryId);
  let best: DisplayInfo | null = null;
  for (const d of others) if (best === null || area(d.bounds) > area(best.bounds)) best = d;
  return best;
}

/** The default windows: the wall on the secondary display and the console on the primary; on
 * one monitor, the console plus a wall window on the same screen. */
export function defaultWindowSpecs(displays: readonly DisplayInfo[], primaryId: number): WindowSpec[] {
  if (secondaryDisplay(displays, primaryId) === null) {
    return [
      { id: 'wall', role: 'wall', display: 'primary' },
      { id: 'console', role: 'console', display: 'primary' },
    ];
  }
  return [
    { id: 'wall', role: 'wall', display: 'secondary' },
    { id: 'console', role: 'console', display: 'primary' },
  ];
}

function primaryOf(displays: readonly DisplayInfo[], primaryId: number): DisplayInfo {
  const primary = displays.find((d) => d.id === primaryId) ?? orderDisplays(displays)[0];
  if (!primary) throw new Error('planWindows: no display');
  return primary;
}

export function resolveDisplay(
  selector: DisplaySelector,
  displays: readonly DisplayInfo[],
  primaryId: number,
): { display: DisplayInfo; note: string | null } {
  const primary = primaryOf(displays, primaryId);
  if (selector === 'primary') return { display: primary, note: null };
  if (selector === 'secondary') {
    const secondary = secondaryDisplay(displays, primaryId);
    return secondary ? { display: secondary, note: null } : { display: primary, note: 'no secondary display: using the primary' };
  }
  let found: DisplayInfo | undefined;
  let wanted: string;
  if ('id' in selector) {
    found = displays.find((d) => d.id === selector.id);
    wanted = `display id ${selector.id}`;
  } else if ('label' in selector) {
    found = displays.find((d) => d.label === selector.label);
    wanted = `display "${selector.label}"`;
  } else {
    found = orderDisplays(displays)[selector.index];
    wanted = `display #${selector.index}`;
  }
  return found ? { display: found, note: null } : { display: primary, note: `${wanted} is not connected: using the primary` };
}

function intersection(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

/** Shrink and move `bounds` so that it lies inside `area`. */
export function clampToArea(bounds: Rect, within: Rect): Rect {
  const width = Math.min(bounds.width, within.width);
  const height = Math.min(bounds.height, within.height);
  const x = Math.min(Math.max(bounds.x, within.x), within.x + within.width - width);
  const y = Math.min(Math.max(bounds.y, within.y), within.y + within.height - height);
  return { x, y, width, height };
}

/** At least this much of a saved window must be on its display for the placement to count. */
const MIN_VISIBLE = { width: 120, height: 60 };

/**
 * A saved placement is valid when its display is still connected (matched by id, else by label,
 * since ids can change across reboots) and enough of the window is on that display; the bounds
 * are then clamped into the display's work area. Returns null otherwise.
 */
export function validatePlacement(placement: Placement, displays: readonly DisplayInfo[]): { display: DisplayInfo; bounds: Rect } | null {
  const display =
    displays.find((d) => d.id === placement.displayId) ??
    (placement.displayLabel ? displays.find((d) => d.label === placement.displayLabel) : undefined);
  if (!display) return null;
  const visible = intersection(placement.bounds, display.workArea);
  if (!visible || visible.width < MIN_VISIBLE.width || visible.height < MIN_VISIBLE.height) return null;
  return { display, bounds: clampToArea(placement.bounds, display.workArea) };
}

/** A 16:9 window at 80 % of the work area, centred: the wall on a single monitor. */
export function centredWallBounds(workArea: Rect): Rect {
  let width = Math.round(workArea.width * 0.8);
  let height = Math.round((width * 9) / 16);
  if (height > workArea.height * 0.8) {
    height = Math.round(workArea.height * 0.8);
    width = Math.round((height * 16) / 9);
  }
  return {
    x: workArea.x + Math.round((workArea.width - width) / 2),
    y: workArea.y + Math.round((workArea.height - height) / 2),
    width,
    height,
  };
}

/** Where each window goes, given the configuration and the displays connected now. */
export function planWindows(config: DisplayConfig, displays: readonly DisplayInfo[], primaryId: number): WindowPlan[] {
  const specs = config.windows ?? defaultWindowSpecs(displays, primaryId);
  const resolved = specs.map((spec) => ({ spec, ...resolveDisplay(spec.display, displays, primaryId) }));
  return resolved.map(({ spec, display, note }) => {
    const notes = note ? [note] : [];
    const sharesWithConsole = resolved.some((other) => other.spec !== spec && other.spec.role === 'console' && other.display.id === display.id);
    const fullscreen = spec.fullscreen ?? (spec.role === 'wall' && !sharesWithConsole);
    if (fullscreen) {
      return { id: spec.id, role: spec.role, displayId: display.id, bounds: { ...display.bounds }, fullscreen, maximized: false, notes };
    }
    const saved = config.placements?.[spec.id];
    if (saved) {
      const valid = validatePlacement(saved, displays);
      if (valid) {
        return { id: spec.id, role: spec.role, displayId: valid.display.id, bounds: valid.bounds, fullscreen, maximized: saved.maximized ?? false, notes };
      }
      notes.push(`the saved placement of ${spec.id} is on a display that is gone: using display ${display.id}`);
    }
    const bounds = spec.role === 'wall' ? centredWallBounds(display.workArea) : { ...display.workArea };
    return { id: spec.id, role: spec.role, displayId: display.id, bounds, fullscreen, maximized: spec.role === 'console', notes };
  });
}

/** The placement to save for a window at `bounds`: on the display it overlaps most. */
export function placementFor(bounds: Rect, maximized: boolean, displays: readonly DisplayInfo[]): Placement | null {
  let best: DisplayInfo | null = null;
  let bestArea = 0;
  for (const d of displays) {
    const overlap = intersection(bounds, d.bounds);
    const a = overlap ? area(overlap) : 0;
    if (a > bestArea) {
      best = d;
      bestArea = a;
    }
  }
  if (!best) return null;
  const placement: Placement = { displayId: best.id, bounds: roundRect(bounds), maximized };
  if (best.label) placement.displayLabel = best.label.slice(0, 200);
  return placement;
}

const roundRect = (r: Rect): Rect => ({
  x: Math.round(r.x),
  y: Math.round(r.y),
  width: Math.max(100, Math.round(r.width)),
  height: Math.max(100, Math.round(r.height)),
});

// ---------------------------------------------------------------------------------------------
// The file

export type LoadedDisplayConfig = {
  config: DisplayConfig;
  /** False when the file is invalid or from a newer app: then it is never overwritten. */
  writable: boolean;
  problem: string | null;
  migratedFrom: number | null;
  /** Whether the file was there (a missing one is written with the defaults, for operators). */
  existed: boolean;
};

/** Read displays.json from the data directory; a missing file gives the defaults. */
export function readDisplayConfig(dataDir: string): LoadedDisplayConfig {
  const file = path.join(dataDir, DISPLAYS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      config: DEFAULT_DISPLAY_CONFIG,
      writable: missing,
      problem: missing ? null : `cannot read ${file}: ${String(err)}`,
      migratedFrom: null,
      existed: !missing,
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const problem = `${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
    return { config: DEFAULT_DISPLAY_CONFIG, writable: false, problem, migratedFrom: null, existed: true };
  }
  const parsed = parseDisplayConfig(raw);
  if (!parsed.ok) return { config: DEFAULT_DISPLAY_CONFIG, writable: false, problem: `${file}: ${parsed.reason}`, migratedFrom: null, existed: true };
  return { config: parsed.config, writable: true, problem: null, migratedFrom: parsed.migratedFrom, existed: true };
}

/** Write displays.json atomically (a crash mid-write leaves the old file). */
export function writeDisplayConfig(dataDir: string, config: DisplayConfig): void {
  const checked = displayConfigSchema.parse(config);
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DISPLAYS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(checked, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  centredWallBounds,
  clampToArea,
  DEFAULT_DISPLAY_CONFIG,
  DISPLAYS_FILE,
  defaultWindowSpecs,
  orderDisplays,
  parseDisplayConfig,
  placementFor,
  planWindows,
  readDisplayConfig,
  resolveDisplay,
  secondaryDisplay,
  validatePlacement,
  writeDisplayConfig,
  type DisplayConfig,
  type DisplayInfo,
} from './displays';

const display = (id: number, x: number, width: number, height: number, label = `screen-${id}`): DisplayInfo => ({
  id,
  label,
  bounds: { x, y: 0, width, height },
  workArea: { x, y: 0, width, height: height - 40 },
});

// A typical operations room: a 1920×1080 operator monitor (primary) and a 3840×1080 wall
// controller output to its right; sometimes a third small monitor.
const laptop = display(1, 0, 1920, 1080, 'Built-in');
const wall = display(2, 1920, 3840, 1080, 'Video wall controller');
const side = display(3, -1280, 1280, 1024, 'Side monitor');

describe('secondaryDisplay / orderDisplays', () => {
  it('picks the largest display that is not the primary', () => {
    expect(secondaryDisplay([laptop, wall, side], 1)?.id).toBe(2);
    expect(secondaryDisplay([laptop, side], 1)?.id).toBe(3);
    expect(secondaryDisplay([laptop], 1)).toBeNull();
  });
  it('takes the leftmost on a tie', () => {
    const a = display(7, 5000, 1920, 1080);
    const b = display(8, 3000, 1920, 1080);
    expect(secondaryDisplay([laptop, a, b], 1)?.id).toBe(8);
  });
  it('orders displays left to right', () => {
    expect(orderDisplays([wall, laptop, side]).map((d) => d.id)).toEqual([3, 1, 2]);
  });
});

describe('resolveDisplay', () => {
  const all = [laptop, wall, side];
  it('resolves each kind of selector', () => {
    expect(resolveDisplay('primary', all, 1).display.id).toBe(1);
    expect(resolveDisplay('secondary', all, 1).display.id).toBe(2);
    expect(resolveDisplay({ id: 3 }, all, 1).display.id).toBe(3);
    expect(resolveDisplay({ label: 'Video wall controller' }, all, 1).display.id).toBe(2);
    expect(resolveDisplay({ index: 0 }, all, 1).display.id).toBe(3);
    expect(resolveDisplay({ index: 2 }, all, 1).display.id).toBe(2);
  });
  it('falls back to the primary, with a note, when the display is not connected', () => {
    for (const selector of [{ id: 99 }, { label: 'gone' }, { index: 5 }, 'secondary'] as const) {
      const r = resolveDisplay(selector, [laptop], 1);
      expect(r.display.id).toBe(1);
      expect(r.note).toMatch(/primary/);
    }
  });
});

describe('planWindows with the automatic layout', () => {
  it('puts the wall full-screen on the secondary display and the console on the primary', () => {
    const plans = planWindows(DEFAULT_DISPLAY_CONFIG, [laptop, wall], 1);
    expect(plans.map((p) => [p.id, p.role, p.displayId, p.fullscreen])).toEqual([
      ['wall', 'wall', 2, true],
      ['console', 'console', 1, false],
    ]);
    expect(plans[0]?.bounds).toEqual(wall.bounds);
    expect(plans[1]?.bounds).toEqual(laptop.workArea);
    expect(plans[1]?.maximized).toBe(true);
    expect(plans.flatMap((p) => p.notes)).toEqual([]);
  });

  it('puts the wall on the largest secondary with three displays', () => {
    const plans = planWindows(DEFAULT_DISPLAY_CONFIG, [side, laptop, wall], 1);
    expect(plans.find((p) => p.role === 'wall')?.displayId).toBe(2);
  });

  it('gives a single-monitor machine the console plus a windowed wall', () => {
    const plans = planWindows(DEFAULT_DISPLAY_CONFIG, [laptop], 1);
    expect(plans).toHaveLength(2);
    const wallPlan = plans.find((p) => p.role === 'wall');
    const consolePlan = plans.find((p) => p.role === 'console');
    expect(wallPlan).toMatchObject({ displayId: 1, fullscreen: false, maximized: false });
    expect(consolePlan).toMatchObject({ displayId: 1, fullscreen: false, maximized: true });
    // The wall window is 16:9 and inside the work area.
    const b = wallPlan?.bounds;
    expect(b && Math.abs(b.width / b.height - 16 / 9) < 0.01).toBe(true);
    expect(b && clampToArea(b, laptop.workArea)).toEqual(b);
    // The console is created last, so it has the focus.
    expect(plans.at(-1)?.role).toBe('console');
  });

  it('follows the displays: when the wall display goes, the wall joins the primary', () => {
    expect(defaultWindowSpecs([laptop, wall], 1).find((s) => s.role === 'wall')?.display).toBe('secondary');
    const before = planWindows(DEFAULT_DISPLAY_CONFIG, [laptop, wall], 1);
    const after = planWindows(DEFAULT_DISPLAY_CONFIG, [laptop], 1);
    expect(before.find((p) => p.role === 'wall')?.displayId).toBe(2);
    expect(after.find((p) => p.role === 'wall')?.displayId).toBe(1);
  });
});

describe('planWindows with configured windows', () => {
  const config: DisplayConfig = {
    version: 1,
    windows: [
      { id: 'wall', role: 'wall', display: { label: 'Video wall controller' } },
      { id: 'wall-2', role: 'wall', display: { id: 3 } },
      { id: 'console', role: 'console', display: 'primary' },
    ],
  };

  it('honours the configuration', () => {
    const plans = planWindows(config, [laptop, wall, side], 1);
    expect(plans.map((p) => [p.id, p.displayId, p.fullscreen])).toEqual([
      ['wall', 2, true],
      ['wall-2', 3, true],
      ['console', 1, false],
    ]);
  });

  it('moves windows of a missing display to the primary and says why', () => {
    const plans = planWindows(config, [laptop, wall], 1);
    const moved = plans.find((p) => p.id === 'wall-2');
    expect(moved?.displayId).toBe(1);
    expect(moved?.fullscreen).toBe(false); // it shares the primary with the console now
    expect(moved?.notes.join(' ')).toMatch(/display id 3 is not connected/);
  });

  it('lets the configuration force full screen or a window', () => {
    const forced: DisplayConfig = {
      version: 1,
      windows: [
        { id: 'wall', role: 'wall', display: 'primary', fullscreen: true },
        { id: 'console', role: 'console', display: 'secondary', fullscreen: false },
      ],
    };
    const plans = planWindows(forced, [laptop, wall], 1);
    expect(plans.map((p) => [p.id, p.displayId, p.fullscreen])).toEqual([
      ['wall', 1, true],
      ['console', 2, false],
    ]);
  });
});

describe('saved placements', () => {
  const consoleOnSide = { displayId: 3, displayLabel: 'Side monitor', bounds: { x: -1200, y: 50, width: 1000, height: 800 } };

  it('restores a placement whose display is connected', () => {
    const config: DisplayConfig = { version: 1, placements: { console: consoleOnSide } };
    const plan = planWindows(config, [laptop, wall, side], 1).find((p) => p.id === 'console');
    expect(plan).toMatchObject({ displayId: 3, bounds: consoleOnSide.bounds, maximized: false, notes: [] });
  });

  it('falls back to the primary when the saved display is gone', () => {
    const config: DisplayConfig = { version: 1, placements: { console: consoleOnSide } };
    const plan = planWindows(config, [laptop, wall], 1).find((p) => p.id === 'console');
    expect(plan?.displayId).toBe(1);
    expect(plan?.bounds).toEqual(laptop.workArea);
    expect(plan?.notes.join(' ')).toMatch(/saved placement of console/);
  });

  it('matches a display by label when its id changed (ids are not stable across reboots)', () => {
    const renumbered = { ...side, id: 42 };
    expect(validatePlacement(consoleOnSide, [laptop, renumbered])?.display.id).toBe(42);
  });

  it('refuses a placement that is (nearly) off its display, and clamps a partly visible one', () => {
    expect(validatePlacement({ displayId: 1, bounds: { x: 5000, y: 5000, width: 800, height: 600 } }, [laptop])).toBeNull();
    expect(validatePlacement({ displayId: 1, bounds: { x: 1900, y: 100, width: 800, height: 600 } }, [laptop])).toBeNull();
    const partly = validatePlacement({ displayId: 1, bounds: { x: 1500, y: -100, width: 800, height: 600 } }, [laptop]);
    expect(partly?.bounds).toEqual({ x: 1120, y: 0, width: 800, height: 600 });
    const huge = validatePlacement({ displayId: 1, bounds: { x: 0, y: 0, width: 5000, height: 3000 } }, [laptop]);
    expect(huge?.bounds).toEqual(laptop.workArea);
  });

  it('ignores saved placements of full-screen windows', () => {
    const config: DisplayConfig = { version: 1, placements: { wall: { displayId: 1, bounds: { x: 10, y: 10, width: 800, height: 600 } } } };
    expect(planWindows(config, [laptop, wall], 1).find((p) => p.id === 'wall')).toMatchObject({ displayId: 2, fullscreen: true });
  });

  it('records the display a window overlaps most', () => {
    const p = placementFor({ x: 1800, y: 10, width: 1000, height: 500.4 }, true, [laptop, wall]);
    expect(p).toEqual({ displayId: 2, displayLabel: 'Video wall controller', bounds: { x: 1800, y: 10, width: 1000, height: 500 }, maximized: true });
    expect(placementFor({ x: 90000, y: 0, width: 100, height: 100 }, false, [laptop])).toBeNull();
  });

  it('sizes a windowed wall to fit both wide and tall work areas', () => {
    expect(centredWallBounds({ x: 0, y: 0, width: 2560, height: 1600 })).toEqual({ x: 256, y: 224, width: 2048, height: 1152 });
    // 80 % of 1920 would be 864 px high, more than 80 % of 1040: the height decides.
    expect(centredWallBounds({ x: 0, y: 0, width: 1920, height: 1040 })).toEqual({ x: 221, y: 104, width: 1479, height: 832 });
    const tall = centredWallBounds({ x: 0, y: 0, width: 1080, height: 1880 });
    expect(tall.width).toBe(864);
    expect(tall.height).toBe(486);
  });
});

describe('displays.json: validation and versions', () => {
  it('accepts the minimal and the full version 1', () => {
    expect(parseDisplayConfig({ version: 1 })).toEqual({ ok: true, config: { version: 1 }, migratedFrom: null });
    const full = {
      version: 1,
      windows: [
        { id: 'wall', role: 'wall', display: 'secondary' },
        { id: 'console', role: 'console', display: { index: 0 }, fullscreen: false },
      ],
      placements: { console: { displayId: 1, displayLabel: 'x', bounds: { x: 0, y: 0, width: 800, height: 600 }, maximized: true } },
    };
    expect(parseDisplayConfig(full)).toMatchObject({ ok: true, config: full });
  });

  it.each([
    [null, 'not a JSON object'],
    [[], 'not a JSON object'],
    [{}, 'version'],
    [{ version: '1' }, 'version'],
    [{ version: 1, windows: [] }, 'windows'],
    [{ version: 1, windows: [{ id: 'Wall!', role: 'wall', display: 'primary' }] }, 'windows.0.id'],
    [{ version: 1, windows: [{ id: 'w', role: 'kiosk', display: 'primary' }] }, 'windows.0.role'],
    [{ version: 1, windows: [{ id: 'w', role: 'wall', display: 'left' }] }, 'windows.0.display'],
    [{ version: 1, windows: [{ id: 'w', role: 'wall', display: 'primary' }, { id: 'w', role: 'console', display: 'primary' }] }, 'duplicate window id'],
    [{ version: 1, placements: { console: { displayId: 1, bounds: { x: 0, y: 0, width: 10, height: 600 } } } }, 'placements.console.bounds.width'],
    [{ version: 1, wallDisplay: 2 }, 'wallDisplay'],
  ])('refuses %j', (raw, reason) => {
    const parsed = parseDisplayConfig(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toContain(reason);
      expect(parsed.newer).toBe(false);
    }
  });

  it('refuses a file from a newer version, flagged so that it is never overwritten', () => {
    expect(parseDisplayConfig({ version: 2, anything: true })).toMatchObject({ ok: false, newer: true });
  });

  it('upgrades older versions step by step through the migrations', () => {
    // A synthetic history (version 1 is the first real one): v0 had { wallDisplayId }.
    const migrations = {
      0: (raw: Record<string, unknown>) => ({
        version: 1,
        windows: [
          { id: 'wall', role: 'wall', display: { id: raw.wallDisplayId } },
          { id: 'console', role: 'console', display: 'primary' },
        ],
      }),
    };
    const parsed = parseDisplayConfig({ version: 0, wallDisplayId: 2 }, migrations);
    expect(parsed).toEqual({
      ok: true,
      migratedFrom: 0,
      config: {
        version: 1,
        windows: [
          { id: 'wall', role: 'wall', display: { id: 2 } },
          { id: 'console', role: 'console', display: 'primary' },
        ],
      },
    });
    expect(parseDisplayConfig({ version: 0 })).toMatchObject({ ok: false, reason: 'no migration from version 0' });
  });

  it('validates what a migration produces', () => {
    const broken = { 0: () => ({ windows: 'all' }) };
    expect(parseDisplayConfig({ version: 0 }, broken)).toMatchObject({ ok: false });
  });
});

describe('displays.json on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-displays-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the defaults, writable, when the file is missing', () => {
    expect(readDisplayConfig(dir)).toEqual({ config: DEFAULT_DISPLAY_CONFIG, writable: true, problem: null, migratedFrom: null, existed: false });
  });

  it('round-trips what it writes, atomically', () => {
    const config: DisplayConfig = { version: 1, placements: { console: { displayId: 1, bounds: { x: 1, y: 2, width: 800, height: 600 } } } };
    writeDisplayConfig(dir, config);
    expect(fs.readdirSync(dir)).toEqual([DISPLAYS_FILE]);
    expect(readDisplayConfig(dir)).toMatchObject({ config, writable: true, problem: null, existed: true });
  });

  it('never writes an invalid configuration', () => {
    expect(() => writeDisplayConfig(dir, { version: 1, windows: [] })).toThrow();
    expect(fs.existsSync(path.join(dir, DISPLAYS_FILE))).toBe(false);
  });

  it('keeps a broken or newer file read-only and reports it', () => {
    fs.writeFileSync(path.join(dir, DISPLAYS_FILE), '{ "version": 1, ');
    const broken = readDisplayConfig(dir);
    expect(broken).toMatchObject({ config: DEFAULT_DISPLAY_CONFIG, writable: false, existed: true });
    expect(broken.problem).toMatch(/not valid JSON/);

    fs.writeFileSync(path.join(dir, DISPLAYS_FILE), JSON.stringify({ version: 9 }));
    const newer = readDisplayConfig(dir);
    expect(newer).toMatchObject({ writable: false });
    expect(newer.problem).toMatch(/newer/);
  });
});

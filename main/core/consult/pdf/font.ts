/**
 * OpenType / TrueType / TTC reading for the briefing PDF: find a face, map characters to glyphs
 * (cmap formats 4 and 12), read advance widths (hmtx) and outlines (CFF, as in Noto Sans CJK, or
 * glyf, as in Microsoft YaHei and most system fonts). Outlines are scaled to 1000 units per em.
 */
import fs from 'node:fs';
import { CffFont } from './cff';
import type { Outline, OutlineCmd } from './outline';

interface TableRef {
  offset: number;
  length: number;
}

export interface FontFace {
  readonly family: string;
  /** Glyph id for a code point (0 = .notdef). */
  glyph(codePoint: number): number;
  /** Advance width in 1000ths of an em. */
  advance(gid: number): number;
  /** Outline scaled to 1000 units per em, y up. */
  outline(gid: number): Outline;
  readonly ascent: number;
  readonly descent: number;
}

/** Where CJK fonts live on the platforms CityOps Wall runs on; CITYOPS_CJK_FONT overrides. */
export const CJK_FONT_CANDIDATES: ReadonlyArray<{ regular: string; bold?: string }> = [
  { regular: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc' },
  { regular: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc' },
  { regular: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc' },
  { regular: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', bold: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc' },
  { regular: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc' },
  { regular: 'C:\\Windows\\Fonts\\msyh.ttc', bold: 'C:\\Windows\\Fonts\\msyhbd.ttc' },
  { regular: 'C:\\Windows\\Fonts\\simhei.ttf' },
  { regular: '/System/Library/Fonts/PingFang.ttc' },
  { regular: '/System/Library/Fonts/STHeiti Medium.ttc' },
];

/** The regular and bold font files to use, or null when no CJK font is installed. */
export function findCjkFonts(env: NodeJS.ProcessEnv = process.env): { regular: string; bold: string | null } | null {
  const override = env.CITYOPS_CJK_FONT;
  if (override && fs.existsSync(override)) {
    const bold = env.CITYOPS_CJK_FONT_BOLD;
    return { regular: override, bold: bold && fs.existsSync(bold) ? bold : null };
  }
  for (const c of CJK_FONT_CANDIDATES) {
    if (fs.existsSync(c.regular)) return { regular: c.regular, bold: c.bold && fs.existsSync(c.bold) ? c.bold : null };
  }
  return null;
}

/** Faces whose name matches are preferred inside a collection (Simplified Chinese first). */
const PREFERRED_FACE = /CJK SC|\bSC\b|YaHei|PingFang SC|Heiti SC|Zen Hei/i;

export function loadFont(file: string): FontFace {
  const buf = fs.readFileSync(file);
  const tag = buf.toString('latin1', 0, 4);
  const offsets: number[] = [];
  if (tag === 'ttcf') {
    const n = buf.readUInt32BE(8);
    for (let i = 0; i < n; i++) offsets.push(buf.readUInt32BE(12 + 4 * i));
  } else {
    offsets.push(0);
  }
  const faces = offsets.map((o) => ({ offset: o, tables: readTables(buf, o) }));
  const named = faces.map((f) => ({ ...f, family: faceName(buf, f.tables) }));
  const chosen = named.find((f) => PREFERRED_FACE.test(f.family) && !/Mono/i.test(f.family)) ?? named[0]!;
  return new SfntFace(buf, chosen.tables, chosen.family);
}

function readTables(buf: Buffer, at: number): Map<string, TableRef> {
  const n = buf.readUInt16BE(at + 4);
  const tables = new Map<string, TableRef>();
  for (let i = 0; i < n; i++) {
    const r = at + 12 + 16 * i;
    tables.set(buf.toString('latin1', r, r + 4), { offset: buf.readUInt32BE(r + 8), length: buf.readUInt32BE(r + 12) });
  }
  return tables;
}

function faceName(buf: Buffer, tables: Map<string, TableRef>): string {
  const t = tables.get('name');
  if (!t) return '';
  const count = buf.readUInt16BE(t.offset + 2);
  const strings = t.offset + buf.readUInt16BE(t.offset + 4);
  let best = '';
  for (let k = 0; k < count; k++) {
    const r = t.offset + 6 + 12 * k;
    const platform = buf.readUInt16BE(r);
    const nameId = buf.readUInt16BE(r + 6);
    const len = buf.readUInt16BE(r + 8);
    const off = buf.readUInt16BE(r + 10);
    if (platform !== 3 || (nameId !== 4 && nameId !== 1)) continue;
    let s = '';
    for (let j = 0; j + 1 < len; j += 2) s += String.fromCharCode(buf.readUInt16BE(strings + off + j));
    if (nameId === 4 || !best) best = s;
    if (nameId === 4 && buf.readUInt16BE(r + 4) === 0x409) return s;
  }
  return best;
}

class SfntFace implements FontFace {
  private readonly scale: number;
  private readonly cmap: (cp: number) => number;
  private readonly numHMetrics: number;
  private readonly hmtx: number;
  private readonly cff: CffFont | null;
  private readonly glyf: { glyf: number; loca: number; longLoca: boolean } | null;
  readonly ascent: number;
  readonly descent: number;

  constructor(
    private readonly buf: Buffer,
    private readonly tables: Map<string, TableRef>,
    readonly family: string,
  ) {
    const head = this.table('head');
    const unitsPerEm = buf.readUInt16BE(head + 18);
    this.scale = 1000 / unitsPerEm;
    const hhea = this.table('hhea');
    this.ascent = buf.readInt16BE(hhea + 4) * this.scale;
    this.descent = buf.readInt16BE(hhea + 6) * this.scale;
    this.numHMetrics = buf.readUInt16BE(hhea + 34);
    this.hmtx = this.table('hmtx');
    this.cmap = readCmap(buf, this.table('cmap'));
    const cff = tables.get('CFF ');
    if (cff) {
      this.cff = new CffFont(buf.subarray(cff.offset, cff.offset + cff.length));
      this.glyf = null;
    } else {
      this.cff = null;
      this.glyf = { glyf: this.table('glyf'), loca: this.table('loca'), longLoca: buf.readInt16BE(head + 50) === 1 };
    }
  }

  private table(tag: string): number {
    const t = this.tables.get(tag);
    if (!t) throw new Error(`font ${this.family}: no ${tag} table`);
    return t.offset;
  }

  glyph(codePoint: number): number {
    return this.cmap(codePoint);
  }

  advance(gid: number): number {
    const i = Math.min(gid, this.numHMetrics - 1);
    return this.buf.readUInt16BE(this.hmtx + 4 * i) * this.scale;
  }

  outline(gid: number): Outline {
    const raw = this.cff ? this.cff.outline(gid) : this.glyfOutline(gid, 0);
    if (this.scale === 1) return raw;
    const s = this.scale;
    return raw.map((c): OutlineCmd => {
      if (c.op === 'Z') return c;
      if (c.op === 'C') return { op: 'C', x1: c.x1 * s, y1: c.y1 * s, x2: c.x2 * s, y2: c.y2 * s, x: c.x * s, y: c.y * s };
      return { op: c.op, x: c.x * s, y: c.y * s };
    });
  }

  private glyfOutline(gid: number, depth: number): Outline {
    const g = this.glyf!;
    const buf = this.buf;
    const locaAt = (i: number): number => (g.longLoca ? buf.readUInt32BE(g.loca + 4 * i) : buf.readUInt16BE(g.loca + 2 * i) * 2);
    const start = locaAt(gid);
    const end = locaAt(gid + 1);
    if (end <= start || depth > 8) return [];
    const at = g.glyf + start;
    const nContours = buf.readInt16BE(at);
    if (nContours >= 0) return simpleGlyph(buf, at, nContours);
    // Composite glyph: components placed by offsets (and optionally scaled).
    const out: Outline = [];
    let p = at + 10;
    for (;;) {
      const flags = buf.readUInt16BE(p);
      const component = buf.readUInt16BE(p + 2);
      p += 4;
      let dx: number;
      let dy: number;
      if (flags & 1) {
        dx = buf.readInt16BE(p);
        dy = buf.readInt16BE(p + 2);
        p += 4;
      } else {
        dx = buf.readInt8(p);
        dy = buf.readInt8(p + 1);
        p += 2;
      }
      let a = 1,
        b = 0,
        c = 0,
        d = 1;
      if (flags & 8) {
        a = d = buf.readInt16BE(p) / 16384;
        p += 2;
      } else if (flags & 0x40) {
        a = buf.readInt16BE(p) / 16384;
        d = buf.readInt16BE(p + 2) / 16384;
        p += 4;
      } else if (flags & 0x80) {
        a = buf.readInt16BE(p) / 16384;
        b = buf.readInt16BE(p + 2) / 16384;
        c = buf.readInt16BE(p + 4) / 16384;
        d = buf.readInt16BE(p + 6) / 16384;
        p += 8;
      }
      const useOffsets = (flags & 2) !== 0;
      for (const cmd of this.glyfOutline(component, depth + 1)) {
        const tx = (x: number, y: number): [number, number] => [a * x + c * y + (useOffsets ? dx : 0), b * x + d * y + (useOffsets ? dy : 0)];
        if (cmd.op === 'Z') out.push(cmd);
        else if (cmd.op === 'C') {
          const [x1, y1] = tx(cmd.x1, cmd.y1);
          const [x2, y2] = tx(cmd.x2, cmd.y2);
          const [x, y] = tx(cmd.x, cmd.y);
          out.push({ op: 'C', x1, y1, x2, y2, x, y });
        } else {
          const [x, y] = tx(cmd.x, cmd.y);
          out.push({ op: cmd.op, x, y });
        }
      }
      if (!(flags & 0x20)) break;
    }
    return out;
  }
}

function simpleGlyph(buf: Buffer, at: number, nContours: number): Outline {
  const endPts: number[] = [];
  let p = at + 10;
  for (let i = 0; i < nContours; i++, p += 2) endPts.push(buf.readUInt16BE(p));
  const nPoints = nContours ? endPts[nContours - 1]! + 1 : 0;
  p += 2 + buf.readUInt16BE(p);
  const flags = new Uint8Array(nPoints);
  for (let i = 0; i < nPoints; ) {
    const f = buf[p++]!;
    flags[i++] = f;
    if (f & 8) {
      const repeat = buf[p++]!;
      for (let r = 0; r < repeat && i < nPoints; r++) flags[i++] = f;
    }
  }
  const xs = new Float64Array(nPoints);
  const ys = new Float64Array(nPoints);
  let v = 0;
  for (let i = 0; i < nPoints; i++) {
    const f = flags[i]!;
    if (f & 2) {
      const d = buf[p++]!;
      v += f & 16 ? d : -d;
    } else if (!(f & 16)) {
      v += buf.readInt16BE(p);
      p += 2;
    }
    xs[i] = v;
  }
  v = 0;
  for (let i = 0; i < nPoints; i++) {
    const f = flags[i]!;
    if (f & 4) {
      const d = buf[p++]!;
      v += f & 32 ? d : -d;
    } else if (!(f & 32)) {
      v += buf.readInt16BE(p);
      p += 2;
    }
    ys[i] = v;
  }
  const out: Outline = [];
  let first = 0;
  for (const last of endPts) {
    const pts: Array<{ x: number; y: number; on: boolean }> = [];
    for (let i = first; i <= last; i++) pts.push({ x: xs[i]!, y: ys[i]!, on: (flags[i]! & 1) === 1 });
    first = last + 1;
    if (pts.length === 0) continue;
    // Start on an on-curve point (or the midpoint of two off-curve points).
    let startIdx = pts.findIndex((q) => q.on);
    let start: { x: number; y: number };
    if (startIdx < 0) {
      // Every point off the curve: start between the last and the first.
      const a = pts[pts.length - 1]!;
      start = { x: (a.x + pts[0]!.x) / 2, y: (a.y + pts[0]!.y) / 2 };
      startIdx = 0;
    } else {
      start = pts[startIdx]!;
    }
    out.push({ op: 'M', x: start.x, y: start.y });
    let cx = start.x;
    let cy = start.y;
    let ctrl: { x: number; y: number } | null = null;
    const quad = (qx: number, qy: number, x: number, y: number): void => {
      out.push({ op: 'C', x1: cx + (2 / 3) * (qx - cx), y1: cy + (2 / 3) * (qy - cy), x2: x + (2 / 3) * (qx - x), y2: y + (2 / 3) * (qy - y), x, y });
      cx = x;
      cy = y;
    };
    const n = pts.length;
    const begin = pts[startIdx]!.on ? startIdx + 1 : startIdx;
    for (let k = 0; k < n; k++) {
      const q = pts[(begin + k) % n]!;
      if (q.on) {
        if (ctrl) quad(ctrl.x, ctrl.y, q.x, q.y);
        else {
          out.push({ op: 'L', x: q.x, y: q.y });
          cx = q.x;
          cy = q.y;
        }
        ctrl = null;
      } else {
        if (ctrl) quad(ctrl.x, ctrl.y, (ctrl.x + q.x) / 2, (ctrl.y + q.y) / 2);
        ctrl = { x: q.x, y: q.y };
      }
    }
    if (ctrl) quad(ctrl.x, ctrl.y, start.x, start.y);
    out.push({ op: 'Z' });
  }
  return out;
}

function readCmap(buf: Buffer, at: number): (cp: number) => number {
  const n = buf.readUInt16BE(at + 2);
  const subs: Array<{ platform: number; encoding: number; offset: number; format: number }> = [];
  for (let i = 0; i < n; i++) {
    const r = at + 4 + 8 * i;
    const offset = at + buf.readUInt32BE(r + 4);
    subs.push({ platform: buf.readUInt16BE(r), encoding: buf.readUInt16BE(r + 2), offset, format: buf.readUInt16BE(offset) });
  }
  const f12 = subs.find((s) => s.format === 12 && (s.platform === 3 || s.platform === 0));
  if (f12) {
    const o = f12.offset;
    const groups = buf.readUInt32BE(o + 12);
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = o + 16 + 12 * mid;
        const startCode = buf.readUInt32BE(g);
        const endCode = buf.readUInt32BE(g + 4);
        if (cp < startCode) hi = mid - 1;
        else if (cp > endCode) lo = mid + 1;
        else return buf.readUInt32BE(g + 8) + (cp - startCode);
      }
      return 0;
    };
  }
  const f4 = subs.find((s) => s.format === 4 && (s.platform === 3 || s.platform === 0));
  if (!f4) throw new Error('font has no Unicode cmap (format 4 or 12)');
  const o = f4.offset;
  const segX2 = buf.readUInt16BE(o + 6);
  const ends = o + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let i = 0; i < segX2; i += 2) {
      if (cp > buf.readUInt16BE(ends + i)) continue;
      const startCode = buf.readUInt16BE(starts + i);
      if (cp < startCode) return 0;
      const delta = buf.readInt16BE(deltas + i);
      const ro = buf.readUInt16BE(rangeOffsets + i);
      if (ro === 0) return (cp + delta) & 0xffff;
      const gAt = rangeOffsets + i + ro + 2 * (cp - startCode);
      const g = buf.readUInt16BE(gAt);
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
}

/**
 * A small PDF 1.7 writer for the briefing: A4 pages, filled and stroked paths, and text in any
 * script. Text is drawn with Type 3 fonts whose glyphs are the outlines of an installed CJK font
 * (only the glyphs used are written, so a briefing stays a few hundred kilobytes), each with a
 * ToUnicode map so the text can be searched and copied. Coordinates are in points from the top
 * left of the page (y down); the writer flips them.
 */
import zlib from 'node:zlib';
import type { FontFace } from './font';
import type { Outline } from './outline';
import { BBoxBuilder } from '../../../../shared/geo';

export type FontStyle = 'regular' | 'bold';

export interface PdfFonts {
  regular: FontFace;
  bold: FontFace | null;
}

export interface PdfInfo {
  title: string;
  author: string;
  subject: string;
  /** Epoch ms. */
  created: number;
}

export const A4 = { width: 595.28, height: 841.89 } as const;

/** Punctuation that may not begin a line of Chinese text. */
const NO_LINE_START = /^[，。、；：！？）」』》〉】’”,.;:!?)\]}%]$/u;

const num = (v: number): string => {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
};

const hexColour = (hex: string): [number, number, number] => {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a colour: ${hex}`);
  return [parseInt(m[1]!, 16) / 255, parseInt(m[2]!, 16) / 255, parseInt(m[3]!, 16) / 255];
};
const colourOps = (hex: string, op: 'rg' | 'RG'): string => `${hexColour(hex).map((c) => String(Math.round(c * 1000) / 1000)).join(' ')} ${op}`;

const utf16Hex = (s: string): string => {
  let out = 'FEFF';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${out}>`;
};

interface Type3Font {
  style: FontStyle;
  gids: number[];
  unicodes: number[];
}

export interface TextOptions {
  size: number;
  style?: FontStyle;
  color?: string;
  align?: 'left' | 'center' | 'right';
}

export class PdfPage {
  readonly ops: string[] = [];
  constructor(private readonly doc: PdfDocument) {}

  private y(v: number): number {
    return A4.height - v;
  }

  fillColor(hex: string): this {
    this.ops.push(colourOps(hex, 'rg'));
    return this;
  }

  strokeColor(hex: string): this {
    this.ops.push(colourOps(hex, 'RG'));
    return this;
  }

  lineWidth(w: number): this {
    this.ops.push(`${num(w)} w`);
    return this;
  }

  save(): this {
    this.ops.push('q');
    return this;
  }

  restore(): this {
    this.ops.push('Q');
    return this;
  }

  /** mode: f fill, S stroke, B fill and stroke. */
  rect(x: number, y: number, w: number, h: number, mode: 'f' | 'S' | 'B' = 'f'): this {
    this.ops.push(`${num(x)} ${num(this.y(y + h))} ${num(w)} ${num(h)} re ${mode}`);
    return this;
  }

  clipRect(x: number, y: number, w: number, h: number): this {
    this.ops.push(`${num(x)} ${num(this.y(y + h))} ${num(w)} ${num(h)} re W n`);
    return this;
  }

  line(x1: number, y1: number, x2: number, y2: number): this {
    this.ops.push(`${num(x1)} ${num(this.y(y1))} m ${num(x2)} ${num(this.y(y2))} l S`);
    return this;
  }

  /** Add closed polygons (rings of [x, y] in page points) to the current path. */
  polygon(rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): this {
    const parts: string[] = [];
    for (const ring of rings) {
      if (ring.length < 3) continue;
      parts.push(`${num(ring[0]![0])} ${num(this.y(ring[0]![1]))} m`);
      for (let i = 1; i < ring.length; i++) parts.push(`${num(ring[i]![0])} ${num(this.y(ring[i]![1]))} l`);
      parts.push('h');
    }
    if (parts.length) this.ops.push(parts.join(' '));
    return this;
  }

  /** Paint the current path: f fill (even-odd: f*), S stroke, B both. */
  paint(mode: 'f' | 'f*' | 'S' | 'B' | 'B*'): this {
    this.ops.push(mode);
    return this;
  }

  /** Draw one line of text with its baseline at y. Returns the width drawn. */
  text(s: string, x: number, y: number, opts: TextOptions): number {
    const style = opts.style ?? 'regular';
    const width = this.doc.measure(s, opts.size, style);
    const startX = opts.align === 'center' ? x - width / 2 : opts.align === 'right' ? x - width : x;
    if (opts.color) this.fillColor(opts.color);
    let cursor = startX;
    for (const run of this.doc.encode(s, style)) {
      this.ops.push(`BT /T${run.font} ${num(opts.size)} Tf 1 0 0 1 ${num(cursor)} ${num(this.y(y))} Tm <${run.hex}> Tj ET`);
      cursor += (run.advance * opts.size) / 1000;
    }
    return width;
  }

  /**
   * Text wrapped to a width (CJK breaks anywhere; Latin words are kept whole when they fit).
   * Returns the number of lines drawn; at most maxLines (the last one ends with …).
   */
  textBox(s: string, x: number, y: number, width: number, opts: TextOptions & { lineHeight?: number; maxLines?: number }): number {
    const lines = this.doc.wrap(s, width, opts.size, opts.style ?? 'regular', opts.maxLines ?? 1000);
    const lh = opts.lineHeight ?? opts.size * 1.4;
    lines.forEach((line, i) => this.text(line, x, y + i * lh, opts));
    return lines.length;
  }
}

export class PdfDocument {
  private readonly pages: PdfPage[] = [];
  private readonly slots = new Map<string, { font: number; code: number }>();
  private readonly t3: Type3Font[] = [];
  private readonly current: Partial<Record<FontStyle, number>> = {};

  constructor(
    private readonly fonts: PdfFonts,
    private readonly info: PdfInfo,
  ) {}

  get pageCount(): number {
    return this.pages.length;
  }

  allPages(): readonly PdfPage[] {
    return this.pages;
  }

  addPage(): PdfPage {
    const p = new PdfPage(this);
    this.pages.push(p);
    return p;
  }

  private face(style: FontStyle): FontFace {
    return style === 'bold' && this.fonts.bold ? this.fonts.bold : this.fonts.regular;
  }

  private gidOf(face: FontFace, cp: number): number {
    const g = face.glyph(cp);
    if (g !== 0) return g;
    // Fall back to a space for characters the font lacks (rather than the .notdef box).
    return cp === 0x20 ? 0 : face.glyph(0x20);
  }

  /** Width of a string in points. */
  measure(s: string, size: number, style: FontStyle = 'regular'): number {
    const face = this.face(style);
    let w = 0;
    for (const ch of s) w += face.advance(this.gidOf(face, ch.codePointAt(0)!));
    return (w * size) / 1000;
  }

  /** Break a string into lines no wider than `width`. */
  wrap(s: string, width: number, size: number, style: FontStyle, maxLines: number): string[] {
    const out: string[] = [];
    for (const para of s.split('\n')) {
      let line = '';
      const tokens = para.match(/[A-Za-z0-9.,:;%/()+\-_'"]+ ?|\s|./gu) ?? [];
      for (const tok of tokens) {
        const candidate = line + tok;
        // Closing punctuation never starts a line (禁则): it stays on the line it closes.
        if (line && NO_LINE_START.test(tok)) {
          line = candidate;
          continue;
        }
        if (line && this.measure(candidate.trimEnd(), size, style) > width) {
          out.push(line.trimEnd());
          line = tok.trimStart();
          while (this.measure(line, size, style) > width && line.length > 1) {
            // A token longer than the line: cut it.
            let cut = line.length - 1;
            while (cut > 1 && this.measure(line.slice(0, cut), size, style) > width) cut--;
            out.push(line.slice(0, cut));
            line = line.slice(cut);
          }
        } else {
          line = candidate;
        }
      }
      out.push(line.trimEnd());
    }
    if (out.length > maxLines) {
      const kept = out.slice(0, maxLines);
      let last = kept[maxLines - 1]!;
      while (last.length > 0 && this.measure(last + '…', size, style) > width) last = last.slice(0, -1);
      kept[maxLines - 1] = last + '…';
      return kept;
    }
    return out;
  }

  /** Encode a string as runs of single-byte codes into Type 3 fonts. */
  encode(s: string, style: FontStyle): Array<{ font: number; hex: string; advance: number }> {
    const face = this.face(style);
    const runs: Array<{ font: number; hex: string; advance: number }> = [];
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      const gid = this.gidOf(face, cp);
      const key = `${style}:${gid}`;
      let slot = this.slots.get(key);
      if (!slot) {
        let fi = this.current[style];
        if (fi === undefined || this.t3[fi]!.gids.length >= 256) {
          fi = this.t3.length;
          this.t3.push({ style, gids: [], unicodes: [] });
          this.current[style] = fi;
        }
        const font = this.t3[fi]!;
        slot = { font: fi, code: font.gids.length };
        font.gids.push(gid);
        font.unicodes.push(cp);
        this.slots.set(key, slot);
      }
      const adv = face.advance(gid);
      const last = runs[runs.length - 1];
      const hex = slot.code.toString(16).padStart(2, '0');
      if (last && last.font === slot.font) {
        last.hex += hex;
        last.advance += adv;
      } else {
        runs.push({ font: slot.font, hex, advance: adv });
      }
    }
    return runs;
  }

  /** Serialise the document. */
  toBuffer(): Buffer {
    const objects: Array<Buffer | string> = [];
    const alloc = (): number => {
      objects.push('');
      return objects.length; // object numbers start at 1
    };
    const set = (n: number, body: Buffer | string): void => {
      objects[n - 1] = body;
    };
    const stream = (dict: string, data: string | Buffer, compress = true): Buffer => {
      const raw = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      const body = compress ? zlib.deflateSync(raw) : raw;
      return Buffer.concat([Buffer.from(`<< ${dict} /Length ${body.length}${compress ? ' /Filter /FlateDecode' : ''} >>\nstream\n`, 'latin1'), body, Buffer.from('\nendstream', 'latin1')]);
    };

    const catalog = alloc();
    const pagesObj = alloc();
    const infoObj = alloc();
    const resources = alloc();

    // Type 3 fonts.
    const fontRefs: string[] = [];
    this.t3.forEach((f, i) => {
      const face = this.face(f.style);
      const procs: string[] = [];
      const widths: number[] = [];
      let bbox = [0, 0, 0, 0];
      f.gids.forEach((gid, code) => {
        const w = Math.round(face.advance(gid));
        widths.push(w);
        const outline = face.outline(gid);
        const b = outlineBBox(outline);
        if (b) bbox = [Math.min(bbox[0]!, b[0]), Math.min(bbox[1]!, b[1]), Math.max(bbox[2]!, b[2]), Math.max(bbox[3]!, b[3])];
        const head = b ? `${w} 0 ${b.map((v) => Math.round(v)).join(' ')} d1\n` : `${w} 0 0 0 0 0 d1\n`;
        const ref = alloc();
        set(ref, stream('', head + (b ? outlinePath(outline) + 'f\n' : '')));
        procs.push(`/g${code} ${ref} 0 R`);
      });
      const toUnicode = alloc();
      set(toUnicode, stream('', toUnicodeCMap(f.unicodes)));
      const fontObj = alloc();
      set(
        fontObj,
        `<< /Type /Font /Subtype /Type3 /FontBBox [${bbox.map((v) => Math.round(v)).join(' ')}] /FontMatrix [0.001 0 0 0.001 0 0]` +
          ` /CharProcs << ${procs.join(' ')} >> /Encoding << /Type /Encoding /Differences [0 ${f.gids.map((_, c) => `/g${c}`).join(' ')}] >>` +
          ` /FirstChar 0 /LastChar ${f.gids.length - 1} /Widths [${widths.join(' ')}] /Resources << >> /ToUnicode ${toUnicode} 0 R >>`,
      );
      fontRefs.push(`/T${i} ${fontObj} 0 R`);
    });
    set(resources, `<< /Font << ${fontRefs.join(' ')} >> /ProcSet [/PDF /Text] >>`);

    const pageRefs: number[] = [];
    for (const page of this.pages) {
      const content = alloc();
      set(content, stream('', page.ops.join('\n')));
      const p = alloc();
      set(p, `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] /Resources ${resources} 0 R /Contents ${content} 0 R >>`);
      pageRefs.push(p);
    }
    set(pagesObj, `<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${pageRefs.length} >>`);
    set(catalog, `<< /Type /Catalog /Pages ${pagesObj} 0 R /Lang (zh-CN) /ViewerPreferences << /DisplayDocTitle true >> >>`);
    const d = new Date(this.info.created + 8 * 3600_000).toISOString();
    const pdfDate = `D:${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(11, 13)}${d.slice(14, 16)}${d.slice(17, 19)}+08'00'`;
    set(
      infoObj,
      `<< /Title ${utf16Hex(this.info.title)} /Author ${utf16Hex(this.info.author)} /Subject ${utf16Hex(this.info.subject)} /Producer (CityOps Wall) /CreationDate (${pdfDate}) >>`,
    );

    const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
    let offset = chunks[0]!.length;
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(offset);
      const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'latin1') : body, Buffer.from('\nendobj\n', 'latin1')]);
      chunks.push(b);
      offset += b.length;
    });
    const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
    chunks.push(Buffer.from(xref + `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoObj} 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(chunks);
  }
}

function outlineBBox(outline: Outline): [number, number, number, number] | null {
  const b = new BBoxBuilder();
  for (const c of outline) {
    if (c.op === 'Z') continue;
    if (c.op === 'C') {
      b.add(c.x1, c.y1);
      b.add(c.x2, c.y2);
    }
    b.add(c.x, c.y);
  }
  return b.empty ? null : [Math.floor(b.minX), Math.floor(b.minY), Math.ceil(b.maxX), Math.ceil(b.maxY)];
}

function outlinePath(outline: Outline): string {
  const r = (v: number): string => String(Math.round(v));
  const parts: string[] = [];
  for (const c of outline) {
    if (c.op === 'M') parts.push(`${r(c.x)} ${r(c.y)} m`);
    else if (c.op === 'L') parts.push(`${r(c.x)} ${r(c.y)} l`);
    else if (c.op === 'C') parts.push(`${r(c.x1)} ${r(c.y1)} ${r(c.x2)} ${r(c.y2)} ${r(c.x)} ${r(c.y)} c`);
    else parts.push('h');
  }
  return parts.join('\n') + '\n';
}

function toUnicodeCMap(unicodes: readonly number[]): string {
  const hex16 = (cp: number): string => {
    if (cp <= 0xffff) return cp.toString(16).padStart(4, '0');
    const v = cp - 0x10000;
    return ((0xd800 + (v >> 10)).toString(16) + (0xdc00 + (v & 0x3ff)).toString(16)).padStart(8, '0');
  };
  const lines: string[] = [];
  for (let i = 0; i < unicodes.length; i += 100) {
    const chunk = unicodes.slice(i, i + 100);
    lines.push(`${chunk.length} beginbfchar`);
    chunk.forEach((cp, k) => lines.push(`<${(i + k).toString(16).padStart(2, '0')}> <${hex16(cp)}>`));
    lines.push('endbfchar');
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<00> <ff>',
    'endcodespacerange',
    ...lines,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

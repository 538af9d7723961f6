/**
 * CFF (Compact Font Format) reading, enough to turn glyphs into outlines: the INDEX and DICT
 * structures, CID-keyed fonts (FDArray/FDSelect, as in Noto Sans CJK) and a Type 2 charstring
 * interpreter. Hints are parsed and dropped; the outline is what the PDF draws.
 */
import type { Outline } from './outline';

class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}
  u8(): number {
    return this.buf[this.pos++]!;
  }
  u16(): number {
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  offset(size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + this.buf[this.pos++]!;
    return v;
  }
}

/** An INDEX: `count` items, item i spans [start(i), start(i+1)) in the CFF buffer. */
export interface CffIndex {
  count: number;
  start(i: number): number;
  end(i: number): number;
  /** Byte just after the INDEX. */
  next: number;
}

export function readIndex(buf: Buffer, at: number): CffIndex {
  const count = buf.readUInt16BE(at);
  if (count === 0) return { count: 0, start: () => at + 2, end: () => at + 2, next: at + 2 };
  const offSize = buf[at + 2]!;
  const offsetsAt = at + 3;
  const dataBase = offsetsAt + (count + 1) * offSize - 1;
  const off = (i: number): number => {
    let v = 0;
    const p = offsetsAt + i * offSize;
    for (let k = 0; k < offSize; k++) v = v * 256 + buf[p + k]!;
    return v;
  };
  return { count, start: (i) => dataBase + off(i), end: (i) => dataBase + off(i + 1), next: dataBase + off(count) };
}

export type Dict = Map<number, number[]>;

/** Parse a DICT: operator (12 x → 1200 + x) → operands. */
export function readDict(buf: Buffer, start: number, end: number): Dict {
  const out: Dict = new Map();
  let operands: number[] = [];
  let p = start;
  while (p < end) {
    const b0 = buf[p]!;
    if (b0 <= 21) {
      let op = b0;
      p++;
      if (b0 === 12) op = 1200 + buf[p++]!;
      out.set(op, operands);
      operands = [];
    } else if (b0 === 28) {
      operands.push(buf.readInt16BE(p + 1));
      p += 3;
    } else if (b0 === 29) {
      operands.push(buf.readInt32BE(p + 1));
      p += 5;
    } else if (b0 === 30) {
      // A real number, in nibbles.
      let s = '';
      p++;
      let done = false;
      while (!done) {
        const byte = buf[p++]!;
        for (const nib of [byte >> 4, byte & 15]) {
          if (nib === 15) {
            done = true;
            break;
          }
          s += nib <= 9 ? String(nib) : nib === 10 ? '.' : nib === 11 ? 'E' : nib === 12 ? 'E-' : nib === 14 ? '-' : '';
        }
      }
      operands.push(Number(s));
    } else if (b0 >= 32 && b0 <= 246) {
      operands.push(b0 - 139);
      p++;
    } else if (b0 >= 247 && b0 <= 250) {
      operands.push((b0 - 247) * 256 + buf[p + 1]! + 108);
      p += 2;
    } else if (b0 >= 251 && b0 <= 254) {
      operands.push(-(b0 - 251) * 256 - buf[p + 1]! - 108);
      p += 2;
    } else {
      p++; // reserved
    }
  }
  return out;
}

const subrBias = (count: number): number => (count < 1240 ? 107 : count < 33900 ? 1131 : 32768);

interface PrivateData {
  subrs: CffIndex | null;
}

export class CffFont {
  private readonly charStrings: CffIndex;
  private readonly gsubrs: CffIndex;
  private readonly privates: PrivateData[];
  private readonly fdSelect: ((gid: number) => number) | null;
  readonly glyphCount: number;

  constructor(private readonly buf: Buffer) {
    const hdrSize = buf[2]!;
    const names = readIndex(buf, hdrSize);
    const topDicts = readIndex(buf, names.next);
    const strings = readIndex(buf, topDicts.next);
    this.gsubrs = readIndex(buf, strings.next);
    const top = readDict(buf, topDicts.start(0), topDicts.end(0));
    const csType = top.get(1206)?.[0] ?? 2;
    if (csType !== 2) throw new Error(`CFF charstring type ${csType} is not supported`);
    const csOffset = top.get(17)?.[0];
    if (csOffset === undefined) throw new Error('CFF without CharStrings');
    this.charStrings = readIndex(buf, csOffset);
    this.glyphCount = this.charStrings.count;
    const readPrivate = (dict: Dict): PrivateData => {
      const priv = dict.get(18);
      if (!priv || priv.length < 2) return { subrs: null };
      const [size, offset] = priv as [number, number];
      const pd = readDict(buf, offset, offset + size);
      const subrsOff = pd.get(19)?.[0];
      return { subrs: subrsOff !== undefined ? readIndex(buf, offset + subrsOff) : null };
    };
    const fdArrayOff = top.get(1236)?.[0];
    const fdSelectOff = top.get(1237)?.[0];
    if (fdArrayOff !== undefined && fdSelectOff !== undefined) {
      const fdArray = readIndex(buf, fdArrayOff);
      this.privates = [];
      for (let i = 0; i < fdArray.count; i++) this.privates.push(readPrivate(readDict(buf, fdArray.start(i), fdArray.end(i))));
      this.fdSelect = this.readFdSelect(fdSelectOff);
    } else {
      this.privates = [readPrivate(top)];
      this.fdSelect = null;
    }
  }

  private readFdSelect(at: number): (gid: number) => number {
    const buf = this.buf;
    const format = buf[at]!;
    if (format === 0) return (gid) => buf[at + 1 + gid] ?? 0;
    if (format === 3) {
      const n = buf.readUInt16BE(at + 1);
      const firsts = new Uint32Array(n + 1);
      const fds = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        firsts[i] = buf.readUInt16BE(at + 3 + i * 3);
        fds[i] = buf[at + 5 + i * 3]!;
      }
      firsts[n] = buf.readUInt16BE(at + 3 + n * 3);
      return (gid) => {
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (firsts[mid]! <= gid) lo = mid;
          else hi = mid - 1;
        }
        return fds[lo] ?? 0;
      };
    }
    throw new Error(`CFF FDSelect format ${format} is not supported`);
  }

  /** The glyph's outline in font units (y up). */
  outline(gid: number): Outline {
    const out: Outline = [];
    if (gid < 0 || gid >= this.glyphCount) return out;
    const priv = this.privates[this.fdSelect ? this.fdSelect(gid) : 0] ?? { subrs: null };
    const buf = this.buf;
    const stack: number[] = [];
    let nStems = 0;
    let x = 0;
    let y = 0;
    let open = false;
    let haveWidth = false;
    const gsubrs = this.gsubrs;
    const gBias = subrBias(gsubrs.count);
    const lsubrs = priv.subrs;
    const lBias = lsubrs ? subrBias(lsubrs.count) : 0;

    const moveTo = (nx: number, ny: number): void => {
      if (open) out.push({ op: 'Z' });
      x = nx;
      y = ny;
      out.push({ op: 'M', x, y });
      open = true;
    };
    const lineTo = (nx: number, ny: number): void => {
      x = nx;
      y = ny;
      out.push({ op: 'L', x, y });
    };
    const curveTo = (x1: number, y1: number, x2: number, y2: number, x3: number, y3: number): void => {
      x = x3;
      y = y3;
      out.push({ op: 'C', x1, y1, x2, y2, x, y });
    };
    const takeWidth = (even: boolean): void => {
      // The first stack-clearing operator may carry the advance width as an extra first operand.
      if (!haveWidth && (stack.length % 2 === 1) === even) stack.shift();
      haveWidth = true;
    };
    const stems = (): void => {
      takeWidth(true);
      nStems += stack.length >> 1;
      stack.length = 0;
    };

    let ended = false;
    const run = (start: number, end: number, depth: number): void => {
      if (depth > 10) throw new Error('charstring subroutines nest too deep');
      let p = start;
      while (p < end && !ended) {
        const b0 = buf[p]!;
        if (b0 >= 32 || b0 === 28) {
          if (b0 === 28) {
            stack.push(buf.readInt16BE(p + 1));
            p += 3;
          } else if (b0 <= 246) {
            stack.push(b0 - 139);
            p++;
          } else if (b0 <= 250) {
            stack.push((b0 - 247) * 256 + buf[p + 1]! + 108);
            p += 2;
          } else if (b0 <= 254) {
            stack.push(-(b0 - 251) * 256 - buf[p + 1]! - 108);
            p += 2;
          } else {
            stack.push(buf.readInt32BE(p + 1) / 65536);
            p += 5;
          }
          continue;
        }
        p++;
        switch (b0) {
          case 1: // hstem
          case 3: // vstem
          case 18: // hstemhm
          case 23: // vstemhm
            stems();
            break;
          case 19: // hintmask
          case 20: // cntrmask
            if (stack.length > 0) stems();
            haveWidth = true;
            p += (nStems + 7) >> 3;
            break;
          case 21: // rmoveto
            takeWidth(false);
            moveTo(x + stack[stack.length - 2]!, y + stack[stack.length - 1]!);
            stack.length = 0;
            break;
          case 22: // hmoveto
            if (!haveWidth && stack.length > 1) stack.shift();
            haveWidth = true;
            moveTo(x + stack[stack.length - 1]!, y);
            stack.length = 0;
            break;
          case 4: // vmoveto
            if (!haveWidth && stack.length > 1) stack.shift();
            haveWidth = true;
            moveTo(x, y + stack[stack.length - 1]!);
            stack.length = 0;
            break;
          case 5: // rlineto
            for (let i = 0; i + 1 < stack.length; i += 2) lineTo(x + stack[i]!, y + stack[i + 1]!);
            stack.length = 0;
            break;
          case 6: // hlineto
          case 7: {
            // vlineto
            let horizontal = b0 === 6;
            for (const d of stack) {
              if (horizontal) lineTo(x + d, y);
              else lineTo(x, y + d);
              horizontal = !horizontal;
            }
            stack.length = 0;
            break;
          }
          case 8: // rrcurveto
            for (let i = 0; i + 5 < stack.length; i += 6) {
              const [a, b, c, d, e, f] = stack.slice(i, i + 6) as [number, number, number, number, number, number];
              curveTo(x + a, y + b, x + a + c, y + b + d, x + a + c + e, y + b + d + f);
            }
            stack.length = 0;
            break;
          case 24: {
            // rcurveline
            let i = 0;
            for (; i + 5 < stack.length - 2; i += 6) {
              const [a, b, c, d, e, f] = stack.slice(i, i + 6) as [number, number, number, number, number, number];
              curveTo(x + a, y + b, x + a + c, y + b + d, x + a + c + e, y + b + d + f);
            }
            lineTo(x + stack[i]!, y + stack[i + 1]!);
            stack.length = 0;
            break;
          }
          case 25: {
            // rlinecurve
            let i = 0;
            for (; i + 1 < stack.length - 6; i += 2) lineTo(x + stack[i]!, y + stack[i + 1]!);
            const [a, b, c, d, e, f] = stack.slice(i, i + 6) as [number, number, number, number, number, number];
            curveTo(x + a, y + b, x + a + c, y + b + d, x + a + c + e, y + b + d + f);
            stack.length = 0;
            break;
          }
          case 26: {
            // vvcurveto
            let i = 0;
            let dx1 = 0;
            if (stack.length % 4 === 1) dx1 = stack[i++]!;
            for (; i + 3 < stack.length; i += 4) {
              const x1 = x + dx1;
              const y1 = y + stack[i]!;
              const x2 = x1 + stack[i + 1]!;
              const y2 = y1 + stack[i + 2]!;
              curveTo(x1, y1, x2, y2, x2, y2 + stack[i + 3]!);
              dx1 = 0;
            }
            stack.length = 0;
            break;
          }
          case 27: {
            // hhcurveto
            let i = 0;
            let dy1 = 0;
            if (stack.length % 4 === 1) dy1 = stack[i++]!;
            for (; i + 3 < stack.length; i += 4) {
              const x1 = x + stack[i]!;
              const y1 = y + dy1;
              const x2 = x1 + stack[i + 1]!;
              const y2 = y1 + stack[i + 2]!;
              curveTo(x1, y1, x2, y2, x2 + stack[i + 3]!, y2);
              dy1 = 0;
            }
            stack.length = 0;
            break;
          }
          case 30: // vhcurveto
          case 31: {
            // hvcurveto
            let horizontal = b0 === 31;
            let i = 0;
            while (i + 3 < stack.length) {
              const last = stack.length - i === 5;
              if (horizontal) {
                const x1 = x + stack[i]!;
                const y1 = y;
                const x2 = x1 + stack[i + 1]!;
                const y2 = y1 + stack[i + 2]!;
                const y3 = y2 + stack[i + 3]!;
                const x3 = x2 + (last ? stack[i + 4]! : 0);
                curveTo(x1, y1, x2, y2, x3, y3);
              } else {
                const x1 = x;
                const y1 = y + stack[i]!;
                const x2 = x1 + stack[i + 1]!;
                const y2 = y1 + stack[i + 2]!;
                const x3 = x2 + stack[i + 3]!;
                const y3 = y2 + (last ? stack[i + 4]! : 0);
                curveTo(x1, y1, x2, y2, x3, y3);
              }
              i += last ? 5 : 4;
              horizontal = !horizontal;
            }
            stack.length = 0;
            break;
          }
          case 10: {
            // callsubr
            if (!lsubrs) throw new Error('callsubr without local subroutines');
            const idx = stack.pop()! + lBias;
            run(lsubrs.start(idx), lsubrs.end(idx), depth + 1);
            break;
          }
          case 29: {
            // callgsubr
            const idx = stack.pop()! + gBias;
            run(gsubrs.start(idx), gsubrs.end(idx), depth + 1);
            break;
          }
          case 11: // return
            return;
          case 14: // endchar
            if (!haveWidth && (stack.length === 1 || stack.length === 5)) stack.shift();
            haveWidth = true;
            if (open) out.push({ op: 'Z' });
            open = false;
            ended = true;
            stack.length = 0;
            return;
          case 12: {
            const b1 = buf[p++]!;
            const s = stack;
            if (b1 === 35) {
              // flex
              curveTo(x + s[0]!, y + s[1]!, x + s[0]! + s[2]!, y + s[1]! + s[3]!, x + s[0]! + s[2]! + s[4]!, y + s[1]! + s[3]! + s[5]!);
              curveTo(x + s[6]!, y + s[7]!, x + s[6]! + s[8]!, y + s[7]! + s[9]!, x + s[6]! + s[8]! + s[10]!, y + s[7]! + s[9]! + s[11]!);
            } else if (b1 === 34) {
              // hflex
              const y0 = y;
              curveTo(x + s[0]!, y, x + s[0]! + s[1]!, y + s[2]!, x + s[0]! + s[1]! + s[3]!, y + s[2]!);
              curveTo(x + s[4]!, y, x + s[4]! + s[5]!, y0, x + s[4]! + s[5]! + s[6]!, y0);
            } else if (b1 === 36) {
              // hflex1
              const y0 = y;
              curveTo(x + s[0]!, y + s[1]!, x + s[0]! + s[2]!, y + s[1]! + s[3]!, x + s[0]! + s[2]! + s[4]!, y + s[1]! + s[3]!);
              curveTo(x + s[5]!, y, x + s[5]! + s[6]!, y + s[7]!, x + s[5]! + s[6]! + s[8]!, y0);
            } else if (b1 === 37) {
              // flex1
              const sx = x;
              const sy = y;
              const dx = s[0]! + s[2]! + s[4]! + s[6]! + s[8]!;
              const dy = s[1]! + s[3]! + s[5]! + s[7]! + s[9]!;
              curveTo(x + s[0]!, y + s[1]!, x + s[0]! + s[2]!, y + s[1]! + s[3]!, x + s[0]! + s[2]! + s[4]!, y + s[1]! + s[3]! + s[5]!);
              const x1 = x + s[6]!;
              const y1 = y + s[7]!;
              const x2 = x1 + s[8]!;
              const y2 = y1 + s[9]!;
              if (Math.abs(dx) > Math.abs(dy)) curveTo(x1, y1, x2, y2, x2 + s[10]!, sy);
              else curveTo(x1, y1, x2, y2, sx, y2 + s[10]!);
            } else {
              throw new Error(`charstring operator 12 ${b1} is not supported`);
            }
            stack.length = 0;
            break;
          }
          default:
            throw new Error(`charstring operator ${b0} is not supported`);
        }
      }
    };
    run(this.charStrings.start(gid), this.charStrings.end(gid), 0);
    if (open) out.push({ op: 'Z' });
    return out;
  }
}

export { Reader };

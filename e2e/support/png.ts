/**
 * A small PNG decoder (8-bit greyscale, grey+alpha, RGB and RGBA, non-interlaced: what Chromium's
 * screenshots are) and pixel statistics, so tests can check that WebGL canvases and text drew
 * something. WebGL canvases cannot be read back from the page; their screenshots can.
 */
import { inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row by row. */
  rgba: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export function decodePng(buf: Buffer): Image {
  if (buf.length < 8 || SIGNATURE.some((b, i) => buf[i] !== b)) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  const idat: Buffer[] = [];
  while (pos + 8 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    pos += 12 + len;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      colourType = data[9]!;
      const interlace = data[12];
      if (depth !== 8) throw new Error(`PNG bit depth ${depth} is not supported`);
      if (!(colourType in CHANNELS)) throw new Error(`PNG colour type ${colourType} is not supported`);
      if (interlace !== 0) throw new Error('interlaced PNGs are not supported');
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
  }
  if (width === 0 || colourType < 0) throw new Error('PNG without IHDR');
  const channels = CHANNELS[colourType]!;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length < height * (stride + 1)) throw new Error('PNG data is truncated');
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[out + x - channels]! : 0;
      const b = y > 0 ? pixels[out - stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[out - stride + x - channels]! : 0;
      const v = raw[src + x]!;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = a;
          break;
        case 2:
          predicted = b;
          break;
        case 3:
          predicted = (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      pixels[out + x] = (v + predicted) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    if (channels === 1 || channels === 2) {
      rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = pixels[s]!;
      rgba[i * 4 + 3] = channels === 2 ? pixels[s + 1]! : 255;
    } else {
      rgba[i * 4] = pixels[s]!;
      rgba[i * 4 + 1] = pixels[s + 1]!;
      rgba[i * 4 + 2] = pixels[s + 2]!;
      rgba[i * 4 + 3] = channels === 4 ? pixels[s + 3]! : 255;
    }
  }
  return { width, height, rgba };
}

export type Rgb = readonly [number, number, number];

export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** Share of pixels whose colour differs from `background` by more than `tolerance` in some channel. */
export function inkFraction(img: Image, background: Rgb, tolerance = 24): number {
  let ink = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (
      Math.abs(img.rgba[o]! - background[0]) > tolerance ||
      Math.abs(img.rgba[o + 1]! - background[1]) > tolerance ||
      Math.abs(img.rgba[o + 2]! - background[2]) > tolerance
    )
      ink++;
  }
  return n === 0 ? 0 : ink / n;
}

/** Share of pixels brighter than `threshold` (0–255 luma): light text on the dark theme. */
export function brightFraction(img: Image, threshold = 150): number {
  let bright = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    const luma = 0.2126 * img.rgba[o]! + 0.7152 * img.rgba[o + 1]! + 0.0722 * img.rgba[o + 2]!;
    if (luma > threshold) bright++;
  }
  return n === 0 ? 0 : bright / n;
}

/** How many distinct colours (quantised to 4 bits per channel) the image holds. */
export function colourCount(img: Image): number {
  const seen = new Set<number>();
  for (let i = 0; i < img.width * img.height; i++) {
    const o = i * 4;
    seen.add(((img.rgba[o]! >> 4) << 8) | ((img.rgba[o + 1]! >> 4) << 4) | (img.rgba[o + 2]! >> 4));
  }
  return seen.size;
}

/**
 * Test support: small tile archives written from scratch, for the basemap tests (unit, e2e,
 * bench). An RGB PNG writer (the tiles use no row filter), a PMTiles v3 writer (the pmtiles package only reads:
 * header, one root directory, JSON metadata, tile data; identical tiles are stored once) and an
 * MBTiles writer (better-sqlite3).
 */
import fs from 'node:fs';
import { deflateSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { zxyToTileId } from 'pmtiles';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG file of 8-bit RGB pixels: `scanlines` holds each row's filter type byte then its (filtered) bytes. */
export function rgbPngFile(width: number, height: number, scanlines: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(scanlines)), chunk('IEND', Buffer.alloc(0))]);
}

/** An RGB PNG of `size`×`size` pixels coloured by `colour(x, y)`. */
export function makePng(size: number, colour: (x: number, y: number) => readonly [number, number, number]): Buffer {
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b] = colour(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  return rgbPngFile(size, size, raw);
}

export interface TileInput {
  z: number;
  x: number;
  y: number;
  data: Buffer;
}

function varint(n: number, out: number[]): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

export interface PmtilesOptions {
  /** 2 png, 3 jpeg, 1 mvt. */
  tileType?: number;
  metadata?: Record<string, unknown>;
  bounds?: [number, number, number, number];
  center?: [number, number, number];
}

/** The tiles x range and y range (XYZ) covering a lon/lat box at zoom z. */
export function tileRange(z: number, [w, s, e, n]: [number, number, number, number]): { x0: number; x1: number; y0: number; y1: number } {
  const n2 = 2 ** z;
  const tx = (lon: number): number => Math.min(n2 - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n2)));
  const ty = (lat: number): number => {
    const r = (lat * Math.PI) / 180;
    return Math.min(n2 - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n2)));
  };
  return { x0: tx(w), x1: tx(e), y0: ty(n), y1: ty(s) };
}

/** A PMTiles v3 archive (uncompressed directories, tiles as given). */
export function pmtilesBytes(tiles: readonly TileInput[], opts: PmtilesOptions = {}): Buffer {
  const contents = new Map<string, { offset: number; length: number }>();
  const blobs: Buffer[] = [];
  let dataLength = 0;
  const entries = tiles
    .map((t) => {
      const key = t.data.toString('base64');
      let c = contents.get(key);
      if (!c) {
        c = { offset: dataLength, length: t.data.length };
        contents.set(key, c);
        blobs.push(t.data);
        dataLength += t.data.length;
      }
      return { tileId: zxyToTileId(t.z, t.x, t.y), offset: c.offset, length: c.length };
    })
    .sort((a, b) => a.tileId - b.tileId);
  const dir: number[] = [];
  varint(entries.length, dir);
  let last = 0;
  for (const e of entries) {
    varint(e.tileId - last, dir);
    last = e.tileId;
  }
  for (let i = 0; i < entries.length; i++) varint(1, dir);
  for (const e of entries) varint(e.length, dir);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    varint(prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1, dir);
  });
  const root = Buffer.from(dir);
  if (root.length > 16_384 - 127) throw new Error('too many tiles for a single root directory');
  const meta = Buffer.from(JSON.stringify(opts.metadata ?? {}), 'utf8');
  const zs = tiles.map((t) => t.z);
  const bounds = opts.bounds ?? [-180, -85, 180, 85];
  const center = opts.center ?? [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, Math.min(...zs)];
  const h = Buffer.alloc(127);
  h.write('PMTiles', 0, 'latin1');
  h[7] = 3;
  const rootOffset = 127;
  const metaOffset = rootOffset + root.length;
  const dataOffset = metaOffset + meta.length;
  const u64 = (v: number, at: number): void => {
    h.writeBigUInt64LE(BigInt(v), at);
  };
  u64(rootOffset, 8);
  u64(root.length, 16);
  u64(metaOffset, 24);
  u64(meta.length, 32);
  u64(dataOffset, 40);
  u64(0, 48);
  u64(dataOffset, 56);
  u64(dataLength, 64);
  u64(entries.length, 72);
  u64(entries.length, 80);
  u64(contents.size, 88);
  h[96] = 0; // not clustered: identical tiles share one offset
  h[97] = 1; // internal compression: none
  h[98] = 1; // tile compression: none
  h[99] = opts.tileType ?? 2;
  h[100] = Math.min(...zs);
  h[101] = Math.max(...zs);
  const e7 = (v: number, at: number): void => {
    h.writeInt32LE(Math.round(v * 1e7), at);
  };
  e7(bounds[0], 102);
  e7(bounds[1], 106);
  e7(bounds[2], 110);
  e7(bounds[3], 114);
  h[118] = center[2];
  e7(center[0], 119);
  e7(center[1], 123);
  return Buffer.concat([h, root, meta, ...blobs]);
}

export interface TestRasterOptions {
  bounds: [number, number, number, number];
  minzoom: number;
  maxzoom: number;
  /** Two tile colours, alternating like a checkerboard. */
  colours?: readonly [readonly [number, number, number], readonly [number, number, number]];
  tileSize?: number;
}

/** Raster tiles covering a box at each zoom, a checkerboard of two colours. */
export function testRasterTiles(opts: TestRasterOptions): TileInput[] {
  const [a, b] = opts.colours ?? [
    [230, 0, 230],
    [0, 200, 90],
  ];
  const size = opts.tileSize ?? 256;
  const pa = makePng(size, () => a);
  const pb = makePng(size, () => b);
  const tiles: TileInput[] = [];
  for (let z = opts.minzoom; z <= opts.maxzoom; z++) {
    const r = tileRange(z, opts.bounds);
    for (let x = r.x0; x <= r.x1; x++) for (let y = r.y0; y <= r.y1; y++) tiles.push({ z, x, y, data: (x + y) % 2 === 0 ? pa : pb });
  }
  return tiles;
}

export function writeTestPmtiles(file: string, opts: TestRasterOptions & { name?: string }): void {
  const tiles = testRasterTiles(opts);
  fs.writeFileSync(file, pmtilesBytes(tiles, { tileType: 2, bounds: opts.bounds, metadata: { name: opts.name ?? 'test raster', attribution: 'CityOps test tiles' } }));
}

/** An MBTiles file (TMS rows) with the given tiles and metadata; vector tiles are gzipped as tools do. */
export function writeMbtiles(file: string, tiles: readonly TileInput[], metadata: Record<string, string>): void {
  const db = new Database(file);
  try {
    db.exec('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);');
    const m = db.prepare('INSERT INTO metadata VALUES (?, ?)');
    for (const [k, v] of Object.entries(metadata)) m.run(k, v);
    const t = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
    const gzip = metadata.format === 'pbf';
    for (const tile of tiles) t.run(tile.z, tile.x, (1 << tile.z) - 1 - tile.y, gzip ? gzipSync(tile.data) : tile.data);
  } finally {
    db.close();
  }
}

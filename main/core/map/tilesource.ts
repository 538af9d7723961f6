/**
 * Tile archives on the host's disk, read for the basemap: PMTiles v3 (through the pmtiles
 * package with a Node file Source) and MBTiles (SQLite, through better-sqlite3, read-only).
 * Tiles come out uncompressed with their content type; a missing tile is null.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { Compression, PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';

const gunzip = promisify(zlib.gunzip);
const brotli = promisify(zlib.brotliDecompress);

export type Geometry = 'point' | 'line' | 'polygon' | 'unknown';

export interface TileArchiveInfo {
  kind: 'pmtiles' | 'mbtiles';
  type: 'raster' | 'vector';
  /** File extension of the tiles: png, jpg, webp, avif, pbf. */
  format: string;
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number] | null;
  center: [number, number, number] | null;
  name: string | null;
  attribution: string | null;
  vectorLayers: Array<{ id: string; geometry: Geometry }>;
}

export interface Tile {
  data: Buffer;
  contentType: string;
}

export interface TileArchive {
  readonly file: string;
  readonly info: TileArchiveInfo;
  tile(z: number, x: number, y: number): Promise<Tile | null>;
  close(): Promise<void>;
}

export class TileArchiveError extends Error {}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  pbf: 'application/x-protobuf',
};

/** The pmtiles package's Source interface over a local file (its FileSource is the browser's File API). */
export class NodeFileSource implements Source {
  constructor(
    private readonly handle: fs.promises.FileHandle,
    private readonly key: string,
  ) {}

  getKey(): string {
    return this.key;
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buf, 0, length, offset);
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer };
  }
}

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

async function decompress(buf: ArrayBuffer, compression: Compression): Promise<ArrayBuffer> {
  switch (compression) {
    case Compression.None:
    case Compression.Unknown:
      return buf;
    case Compression.Gzip:
      return toArrayBuffer(await gunzip(Buffer.from(buf)));
    case Compression.Brotli:
      return toArrayBuffer(await brotli(Buffer.from(buf)));
    case Compression.Zstd:
      throw new TileArchiveError('zstd-compressed PMTiles are not supported (re-pack with gzip: pmtiles convert --tile-compression gzip)');
  }
}

const PM_FORMAT: Readonly<Record<number, string | undefined>> = {
  [TileType.Mvt]: 'pbf',
  [TileType.Png]: 'png',
  [TileType.Jpeg]: 'jpg',
  [TileType.Webp]: 'webp',
  [TileType.Avif]: 'avif',
};

interface VectorLayerMeta {
  id?: unknown;
  geometry_type?: unknown;
}

function vectorLayersOf(meta: unknown, tilestats: unknown): Array<{ id: string; geometry: Geometry }> {
  const layers = Array.isArray(meta) ? (meta as VectorLayerMeta[]) : [];
  const stats = new Map<string, Geometry>();
  const statLayers = (tilestats as { layers?: Array<{ layer?: unknown; geometry?: unknown }> } | null)?.layers;
  if (Array.isArray(statLayers)) {
    for (const l of statLayers) if (typeof l.layer === 'string') stats.set(l.layer, geometryName(l.geometry));
  }
  return layers
    .filter((l): l is { id: string; geometry_type?: unknown } => typeof l.id === 'string')
    .map((l) => ({ id: l.id, geometry: l.geometry_type !== undefined ? geometryName(l.geometry_type) : (stats.get(l.id) ?? 'unknown') }));
}

function geometryName(raw: unknown): Geometry {
  const s = typeof raw === 'string' ? raw.toLowerCase() : '';
  if (s.includes('point')) return 'point';
  if (s.includes('line')) return 'line';
  if (s.includes('polygon')) return 'polygon';
  return 'unknown';
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export async function openPmtiles(file: string): Promise<TileArchive> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (err) {
    throw new TileArchiveError(openProblem(file, err));
  }
  try {
    const pm = new PMTiles(new NodeFileSource(handle, file), undefined, decompress);
    let header;
    try {
      header = await pm.getHeader();
    } catch (err) {
      throw new TileArchiveError(`${path.basename(file)} is not a PMTiles v3 archive (${err instanceof Error ? err.message : String(err)})`);
    }
    if (header.specVersion !== 3) throw new TileArchiveError(`${path.basename(file)}: PMTiles spec version ${header.specVersion} is not supported (v3 only)`);
    const format = PM_FORMAT[header.tileType];
    if (!format) throw new TileArchiveError(`${path.basename(file)}: unknown tile type ${header.tileType}`);
    let meta: Record<string, unknown> = {};
    try {
      const m = await pm.getMetadata();
      if (typeof m === 'object' && m !== null) meta = m as Record<string, unknown>;
    } catch (err) {
      throw new TileArchiveError(`${path.basename(file)}: unreadable metadata (${err instanceof Error ? err.message : String(err)})`);
    }
    // Read one directory now, so that a truncated or corrupt file fails here and not per tile.
    try {
      await pm.getZxy(header.minZoom, 0, 0);
    } catch (err) {
      throw new TileArchiveError(`${path.basename(file)}: unreadable tile directory (${err instanceof Error ? err.message : String(err)})`);
    }
    const info: TileArchiveInfo = {
      kind: 'pmtiles',
      type: format === 'pbf' ? 'vector' : 'raster',
      format,
      minzoom: header.minZoom,
      maxzoom: header.maxZoom,
      bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
      center: [header.centerLon, header.centerLat, header.centerZoom],
      name: str(meta.name),
      attribution: str(meta.attribution),
      vectorLayers: vectorLayersOf(meta.vector_layers, meta.tilestats),
    };
    return {
      file,
      info,
      async tile(z, x, y) {
        const r = await pm.getZxy(z, x, y);
        if (!r || r.data.byteLength === 0) return null;
        return { data: Buffer.from(r.data), contentType: CONTENT_TYPES[format] ?? 'application/octet-stream' };
      },
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function openProblem(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return `the basemap file ${file} does not exist`;
  if (code === 'EACCES') return `the basemap file ${file} cannot be read (permissions)`;
  if (code === 'EISDIR') return `${file} is a folder, not a tile file`;
  return `cannot open ${file}: ${err instanceof Error ? err.message : String(err)}`;
}

const MB_FORMATS: Readonly<Record<string, string>> = { png: 'png', jpg: 'jpg', jpeg: 'jpg', webp: 'webp', pbf: 'pbf', mvt: 'pbf' };

function sniffFormat(data: Buffer): string | null {
  if (data.length >= 8 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

export async function openMbtiles(file: string): Promise<TileArchive> {
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch (err) {
    throw new TileArchiveError(openProblem(file, err));
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new TileArchiveError(`${path.basename(file)} is not an MBTiles (SQLite) file (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    let meta: Map<string, string>;
    let tileStmt: Database.Statement;
    try {
      meta = new Map((db.prepare('SELECT name, value FROM metadata').all() as Array<{ name: string; value: string }>).map((r) => [r.name, r.value]));
      tileStmt = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
    } catch (err) {
      throw new TileArchiveError(`${path.basename(file)} is not an MBTiles file: ${err instanceof Error ? err.message : String(err)}`);
    }
    const zooms = db.prepare('SELECT MIN(zoom_level) AS lo, MAX(zoom_level) AS hi FROM tiles').get() as { lo: number | null; hi: number | null };
    if (zooms.lo === null || zooms.hi === null) throw new TileArchiveError(`${path.basename(file)} holds no tiles`);
    let detected: string | null = MB_FORMATS[(meta.get('format') ?? '').toLowerCase()] ?? null;
    if (!detected) {
      const sample = db.prepare('SELECT tile_data FROM tiles LIMIT 1').pluck().get() as Buffer | undefined;
      detected = sample ? (sniffFormat(sample) ?? (isGzip(sample) ? 'pbf' : null)) : null;
    }
    const format = detected;
    if (!format) throw new TileArchiveError(`${path.basename(file)}: unknown tile format ${meta.get('format') ?? '(none)'}`);
    const num = (k: string): number | null => {
      const v = meta.get(k);
      return v === undefined || v.trim() === '' || !Number.isFinite(Number(v)) ? null : Number(v);
    };
    const list = (k: string): number[] | null => {
      const v = meta.get(k);
      if (!v) return null;
      const parts = v.split(',').map(Number);
      return parts.every(Number.isFinite) ? parts : null;
    };
    const b = list('bounds');
    const c = list('center');
    let json: Record<string, unknown> = {};
    try {
      const raw = meta.get('json');
      if (raw) json = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      json = {};
    }
    const info: TileArchiveInfo = {
      kind: 'mbtiles',
      type: format === 'pbf' ? 'vector' : 'raster',
      format,
      minzoom: num('minzoom') ?? zooms.lo,
      maxzoom: num('maxzoom') ?? zooms.hi,
      bounds: b && b.length === 4 ? [b[0]!, b[1]!, b[2]!, b[3]!] : null,
      center: c && c.length === 3 ? [c[0]!, c[1]!, c[2]!] : null,
      name: meta.get('name') ?? null,
      attribution: meta.get('attribution') ?? null,
      vectorLayers: vectorLayersOf(json.vector_layers, json.tilestats),
    };
    const contentType = CONTENT_TYPES[format] ?? 'application/octet-stream';
    const archive: TileArchive = {
      file,
      info,
      async tile(z, x, y) {
        // MBTiles rows are TMS: y counts from the south.
        const row = tileStmt.get(z, x, (1 << z) - 1 - y) as { tile_data: Buffer } | undefined;
        if (!row || row.tile_data.length === 0) return null;
        const data = isGzip(row.tile_data) ? await gunzip(row.tile_data) : row.tile_data;
        return { data, contentType };
      },
      close: async () => {
        db.close();
      },
    };
    return archive;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Open a PMTiles or MBTiles file by its extension (else by its first bytes). */
export async function openTileArchive(file: string): Promise<TileArchive> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.pmtiles') return openPmtiles(file);
  if (ext === '.mbtiles') return openMbtiles(file);
  let head: Buffer;
  try {
    const h = await fs.promises.open(file, 'r');
    try {
      head = Buffer.alloc(16);
      await h.read(head, 0, 16, 0);
    } finally {
      await h.close();
    }
  } catch (err) {
    throw new TileArchiveError(openProblem(file, err));
  }
  if (head.toString('latin1', 0, 7) === 'PMTiles') return openPmtiles(file);
  if (head.toString('latin1', 0, 15) === 'SQLite format 3') return openMbtiles(file);
  throw new TileArchiveError(`${path.basename(file)} is neither a PMTiles nor an MBTiles file`);
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makePng, pmtilesBytes, testRasterTiles, tileRange, writeMbtiles } from '../../testing/tiles';
import { openTileArchive, TileArchiveError } from './tilesource';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-tiles-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const BOX: [number, number, number, number] = [120.0, 30.1, 120.3, 30.4];

describe('PMTiles archives', () => {
  it('read back what the writer stored, with header facts', async () => {
    const file = path.join(tmp(), 'a.pmtiles');
    const tiles = testRasterTiles({ bounds: BOX, minzoom: 6, maxzoom: 9 });
    fs.writeFileSync(file, pmtilesBytes(tiles, { bounds: BOX, metadata: { name: '测试', attribution: 'x' } }));
    const a = await openTileArchive(file);
    try {
      expect(a.info).toMatchObject({ kind: 'pmtiles', type: 'raster', format: 'png', minzoom: 6, maxzoom: 9, name: '测试', attribution: 'x' });
      expect(a.info.bounds![0]).toBeCloseTo(120);
      for (const t of [tiles[0]!, tiles.at(-1)!]) {
        const got = await a.tile(t.z, t.x, t.y);
        expect(got?.contentType).toBe('image/png');
        expect(got?.data.equals(t.data)).toBe(true);
      }
      const r = tileRange(9, BOX);
      expect(await a.tile(9, r.x1 + 3, r.y0)).toBeNull();
      expect(await a.tile(12, 0, 0)).toBeNull();
    } finally {
      await a.close();
    }
  });

  it('refuses truncated and foreign files with a clear message', async () => {
    const d = tmp();
    const full = pmtilesBytes(testRasterTiles({ bounds: BOX, minzoom: 5, maxzoom: 6 }));
    fs.writeFileSync(path.join(d, 'cut.pmtiles'), full.subarray(0, 140));
    await expect(openTileArchive(path.join(d, 'cut.pmtiles'))).rejects.toThrow(TileArchiveError);
    fs.writeFileSync(path.join(d, 'junk.pmtiles'), Buffer.from('hello, not tiles at all'));
    await expect(openTileArchive(path.join(d, 'junk.pmtiles'))).rejects.toThrow(/junk\.pmtiles/);
    await expect(openTileArchive(path.join(d, 'none.pmtiles'))).rejects.toThrow(/does not exist/);
    fs.writeFileSync(path.join(d, 'what.bin'), Buffer.from('0123456789abcdef0123'));
    await expect(openTileArchive(path.join(d, 'what.bin'))).rejects.toThrow(/neither a PMTiles nor an MBTiles/);
  });
});

describe('MBTiles archives', () => {
  it('flip TMS rows and detect the format', async () => {
    const file = path.join(tmp(), 'b.mbtiles');
    const red = makePng(4, () => [255, 0, 0]);
    const blue = makePng(4, () => [0, 0, 255]);
    writeMbtiles(
      file,
      [
        { z: 3, x: 6, y: 3, data: red },
        { z: 3, x: 6, y: 4, data: blue },
      ],
      { name: 'b', bounds: '120,30,121,31', center: '120.5,30.5,3' },
    );
    const a = await openTileArchive(file);
    try {
      expect(a.info).toMatchObject({ kind: 'mbtiles', type: 'raster', format: 'png', minzoom: 3, maxzoom: 3, bounds: [120, 30, 121, 31], center: [120.5, 30.5, 3] });
      expect((await a.tile(3, 6, 3))!.data.equals(red)).toBe(true);
      expect((await a.tile(3, 6, 4))!.data.equals(blue)).toBe(true);
      expect(await a.tile(3, 5, 3)).toBeNull();
    } finally {
      await a.close();
    }
  });

  it('serve vector tiles ungzipped, with their layers', async () => {
    const file = path.join(tmp(), 'v.mbtiles');
    const pbf = Buffer.from([0x1a, 0x02, 0x78, 0x01]);
    writeMbtiles(file, [{ z: 0, x: 0, y: 0, data: pbf }], {
      format: 'pbf',
      json: JSON.stringify({ vector_layers: [{ id: 'water' }, { id: 'roads' }], tilestats: { layers: [{ layer: 'water', geometry: 'Polygon' }, { layer: 'roads', geometry: 'LineString' }] } }),
    });
    const a = await openTileArchive(file);
    try {
      expect(a.info.type).toBe('vector');
      expect(a.info.vectorLayers).toEqual([
        { id: 'water', geometry: 'polygon' },
        { id: 'roads', geometry: 'line' },
      ]);
      const t = await a.tile(0, 0, 0);
      expect(t?.contentType).toBe('application/x-protobuf');
      expect(t?.data.equals(pbf)).toBe(true);
    } finally {
      await a.close();
    }
  });

  it('refuse a SQLite file without tiles', async () => {
    const file = path.join(tmp(), 'empty.mbtiles');
    writeMbtiles(file, [], {});
    await expect(openTileArchive(file)).rejects.toThrow(/holds no tiles/);
  });
});

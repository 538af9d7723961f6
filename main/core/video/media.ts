/**
 * The data directory's media folder (<dataDir>/media, served by the host under /media/): local
 * clips for demos and for sites without a gateway. attachMedia hands them out to cameras,
 * round-robin, as root-relative URLs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/store';
import { prep } from '../db/sql';
import { guessStreamKind, type Stream } from '../../../shared/domain/video';

export const MEDIA_DIR = 'media';
export const mediaDirOf = (dataDir: string): string => path.join(dataDir, MEDIA_DIR);

const FILE_EXTS = new Set(['.flv', '.mp4', '.webm', '.m4v', '.mjpeg', '.mjpg']);

/** Playable media in the folder, as /media/… URLs: top-level files, and one playlist per sub-folder (HLS). */
export function scanMedia(mediaDir: string): Stream[] {
  if (!fs.existsSync(mediaDir)) return [];
  const out: Stream[] = [];
  for (const entry of fs.readdirSync(mediaDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isFile() && FILE_EXTS.has(path.extname(entry.name).toLowerCase())) {
      const url = `/media/${encodeURIComponent(entry.name)}`;
      const kind = guessStreamKind(url);
      if (kind) out.push({ kind, url, label: entry.name });
    } else if (entry.isDirectory()) {
      const playlists = fs
        .readdirSync(path.join(mediaDir, entry.name))
        .filter((f) => f.toLowerCase().endsWith('.m3u8'))
        .sort((a, b) => (a === 'index.m3u8' ? -1 : b === 'index.m3u8' ? 1 : a.localeCompare(b)));
      const first = playlists[0];
      if (first) out.push({ kind: 'hls', url: `/media/${encodeURIComponent(entry.name)}/${encodeURIComponent(first)}`, label: entry.name });
    }
  }
  return out;
}

export interface AttachOptions {
  onlyWithoutStreams: boolean;
  cameraIds?: readonly string[] | undefined;
  limit: number;
  now: number;
}

/** Give cameras the media folder's streams, round-robin. Returns the camera ids changed. */
export function attachMedia(db: Db, media: readonly Stream[], opts: AttachOptions): string[] {
  if (media.length === 0) return [];
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: opts.limit };
  if (opts.onlyWithoutStreams) where.push("streams = '[]'");
  if (opts.cameraIds) {
    where.push('id IN (SELECT value FROM json_each(@ids))');
    params.ids = JSON.stringify(opts.cameraIds);
  }
  const ids = prep(db, `SELECT id FROM cameras ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY rid LIMIT @limit`).pluck().all(params) as string[];
  const update = prep(db, 'UPDATE cameras SET streams = ?, updated_at = ?, version = version + 1 WHERE id = ?');
  const clearHealth = prep(db, 'DELETE FROM stream_health WHERE camera_id = ?');
  db.transaction(() => {
    ids.forEach((id, i) => {
      update.run(JSON.stringify([media[i % media.length]]), opts.now, id);
      clearHealth.run(id);
    });
  })();
  return ids;
}

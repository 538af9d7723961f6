/**
 * The per-origin cap on concurrent live streams (pure). Browsers open about six HTTP/1.1
 * connections per host; a wall that opens more long-lived streams than that from one origin
 * stalls all of them (and the page's own requests). Tiles are admitted in tile order, per origin,
 * up to the origin's cap; the others say so instead of connecting. WHEP (WebRTC media flows over
 * UDP) and WebSocket-FLV (browsers pool WebSockets separately) do not count.
 */
import type { Stream } from '../../../../shared/domain/video';
import { originOf } from '../engines/pick';

export interface TileStream {
  stream: Stream | null;
  /** The resolved (absolute) URL. */
  url: string | null;
}

export const countsTowardCap = (t: TileStream): boolean => t.stream !== null && t.url !== null && t.stream.kind !== 'webrtc' && !/^wss?:/i.test(t.url);

export interface Admission {
  /** Per tile: may it connect? (tiles without a stream: true, nothing to hold back) */
  admitted: boolean[];
  /** Per tile: its origin when it counts toward a cap. */
  origin: Array<string | null>;
  /** Live streams per origin after admission. */
  inUse: Map<string, number>;
}

export function admit(tiles: readonly TileStream[], capFor: (origin: string) => number): Admission {
  const inUse = new Map<string, number>();
  const admitted: boolean[] = [];
  const origin: Array<string | null> = [];
  for (const t of tiles) {
    if (!countsTowardCap(t)) {
      admitted.push(true);
      origin.push(null);
      continue;
    }
    const o = originOf(t.url!);
    origin.push(o);
    const used = inUse.get(o) ?? 0;
    if (used < capFor(o)) {
      inUse.set(o, used + 1);
      admitted.push(true);
    } else admitted.push(false);
  }
  return { admitted, origin, inUse };
}

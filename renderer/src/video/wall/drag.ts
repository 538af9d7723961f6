/**
 * Drag and drop of cameras onto wall tiles (HTML5 drag and drop). Any drag source (the map's
 * camera layer, a list, another tile) puts a camera payload on the DataTransfer with
 * setCameraDragData; a tile reads it with readCameraDragData.
 */
export const CAMERA_DRAG_TYPE = 'application/x-cityops-camera';

export interface CameraDragPayload {
  cameraId: string;
  name?: string;
  /** Set when the drag starts on a wall tile (a drop on another tile swaps them). */
  fromTile?: number;
}

export function setCameraDragData(dt: DataTransfer, payload: CameraDragPayload): void {
  dt.setData(CAMERA_DRAG_TYPE, JSON.stringify(payload));
  dt.setData('text/plain', payload.cameraId);
  dt.effectAllowed = 'copyMove';
}

/** Whether a drag carries a camera (only the types are readable before the drop). */
export const hasCameraDrag = (dt: DataTransfer): boolean => Array.from(dt.types).includes(CAMERA_DRAG_TYPE);

export function parseCameraDragData(raw: string): CameraDragPayload | null {
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const o = v as Record<string, unknown>;
    if (typeof o.cameraId !== 'string' || o.cameraId.length === 0 || o.cameraId.length > 80) return null;
    const out: CameraDragPayload = { cameraId: o.cameraId };
    if (typeof o.name === 'string') out.name = o.name;
    if (typeof o.fromTile === 'number' && Number.isInteger(o.fromTile) && o.fromTile >= 0 && o.fromTile < 16) out.fromTile = o.fromTile;
    return out;
  } catch {
    return null;
  }
}

export function readCameraDragData(dt: DataTransfer): CameraDragPayload | null {
  const raw = dt.getData(CAMERA_DRAG_TYPE);
  return raw ? parseCameraDragData(raw) : null;
}

/**
 * Apply a drop to the tile list: place the camera; when it came from another tile, swap the two;
 * a camera is never shown twice (its old tile is cleared).
 */
export function dropOnTile(tiles: ReadonlyArray<string | null>, target: number, payload: CameraDragPayload): Array<string | null> {
  const next = [...tiles];
  const prev = next.indexOf(payload.cameraId);
  if (prev >= 0 && prev !== target) next[prev] = payload.fromTile === prev ? (next[target] ?? null) : null;
  next[target] = payload.cameraId;
  return next;
}

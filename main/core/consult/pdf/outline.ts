/** A glyph outline in font units, y up: absolute moves, lines, cubic curves and closes. */
export type OutlineCmd =
  | { op: 'M'; x: number; y: number }
  | { op: 'L'; x: number; y: number }
  | { op: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
  | { op: 'Z' };
export type Outline = OutlineCmd[];

/**
 * Case icons by category class, drawn at run time on a canvas (no icon files, no requests): a
 * shape per class with the class's character cut out of it. deck.gl's IconLayer tints them
 * (mask: true) with the marker colour of the case's state and urgency; the cut-out character
 * shows the dark map through it.
 */
import { CATEGORY_CLASSES } from '../../../../shared/domain/catalogue';

export type IconShape = 'circle' | 'square' | 'diamond' | 'hexagon' | 'shield';

export interface ClassIcon {
  classCode: string;
  glyph: string;
  shape: IconShape;
}

const GLYPHS: Readonly<Record<string, string>> = {
  '01': '容',
  '02': '广',
  '03': '工',
  '04': '序',
  '05': '突',
  '06': '设',
  '07': '交',
  '08': '绿',
  '09': '房',
  '10': '治',
  '11': '安',
};
const SHAPES: readonly IconShape[] = ['circle', 'square', 'diamond', 'hexagon', 'shield'];

/** The icon of each class (and a fallback 'other' for unknown classes). */
export const CLASS_ICONS: readonly ClassIcon[] = [
  ...CATEGORY_CLASSES.map((c, i) => ({ classCode: c.code, glyph: GLYPHS[c.code] ?? c.name.slice(0, 1), shape: SHAPES[i % SHAPES.length]! })),
  { classCode: 'other', glyph: '案', shape: 'circle' as const },
];

export const ICON_PX = 64;

export interface IconMappingEntry {
  x: number;
  y: number;
  width: number;
  height: number;
  mask: boolean;
}

/** Where each class's icon sits in the atlas (one row). */
export function iconMapping(): Record<string, IconMappingEntry> {
  const out: Record<string, IconMappingEntry> = {};
  CLASS_ICONS.forEach((icon, i) => {
    out[icon.classCode] = { x: i * ICON_PX, y: 0, width: ICON_PX, height: ICON_PX, mask: true };
  });
  return out;
}

/** The icon name of a class code (unknown classes: 'other'). */
export function iconName(classCode: string): string {
  return GLYPHS[classCode] !== undefined ? classCode : 'other';
}

function shapePath(ctx: CanvasRenderingContext2D, shape: IconShape, cx: number, cy: number, r: number): void {
  ctx.beginPath();
  switch (shape) {
    case 'circle':
      ctx.arc(cx, cy, r, 0, Math.PI * 2);
      break;
    case 'square':
      ctx.roundRect(cx - r * 0.9, cy - r * 0.9, r * 1.8, r * 1.8, r * 0.3);
      break;
    case 'diamond':
      ctx.moveTo(cx, cy - r * 1.1);
      ctx.lineTo(cx + r * 1.1, cy);
      ctx.lineTo(cx, cy + r * 1.1);
      ctx.lineTo(cx - r * 1.1, cy);
      ctx.closePath();
      break;
    case 'hexagon':
      for (let k = 0; k < 6; k++) {
        const a = (Math.PI / 3) * k + Math.PI / 6;
        ctx.lineTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
      }
      ctx.closePath();
      break;
    case 'shield':
      ctx.moveTo(cx - r * 0.9, cy - r * 0.85);
      ctx.lineTo(cx + r * 0.9, cy - r * 0.85);
      ctx.lineTo(cx + r * 0.9, cy + r * 0.1);
      ctx.quadraticCurveTo(cx + r * 0.8, cy + r * 0.8, cx, cy + r * 1.05);
      ctx.quadraticCurveTo(cx - r * 0.8, cy + r * 0.8, cx - r * 0.9, cy + r * 0.1);
      ctx.closePath();
      break;
  }
}

/** Draw the atlas (browser only) and answer it as a data: URL for IconLayer. */
export function drawIconAtlas(fontFamily: string): string {
  const canvas = document.createElement('canvas');
  canvas.width = ICON_PX * CLASS_ICONS.length;
  canvas.height = ICON_PX;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas for the case icons');
  const c = ICON_PX / 2;
  CLASS_ICONS.forEach((icon, i) => {
    const x = i * ICON_PX + c;
    ctx.globalCompositeOperation = 'source-over';
    ctx.fillStyle = '#ffffff';
    shapePath(ctx, icon.shape, x, c, ICON_PX * 0.44);
    ctx.fill();
    ctx.globalCompositeOperation = 'destination-out';
    ctx.font = `700 ${Math.round(ICON_PX * 0.5)}px ${fontFamily}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(icon.glyph, x, c + ICON_PX * 0.03);
  });
  return canvas.toDataURL('image/png');
}

/** The PNG decoder the visual checks rely on, against PNGs written by the test support (main/testing) and by Chromium. */
import { rgbPngFile } from '../main/testing/tiles';
import { brightFraction, colourCount, decodePng, inkFraction } from './support/png';
import { expect, test } from './support/test';

/** An RGB PNG whose rows use the given filter types (the test gives the filtered bytes). */
function rgbPng(rows: Array<{ filter: number; bytes: number[] }>, width: number): Buffer {
  return rgbPngFile(width, rows.length, Buffer.from(rows.flatMap((r) => [r.filter, ...r.bytes])));
}

test('decodes every row filter: None, Sub, Up, Average, Paeth', () => {
  const png = rgbPng(
    [
      { filter: 0, bytes: [10, 20, 30, 40, 50, 60] },
      { filter: 1, bytes: [1, 2, 3, 1, 1, 1] }, // Sub: second pixel = first + (1,1,1)
      { filter: 2, bytes: [5, 5, 5, 0, 0, 0] }, // Up: adds the row above
      { filter: 3, bytes: [4, 4, 4, 2, 2, 2] }, // Average of left and above
      { filter: 4, bytes: [1, 1, 1, 1, 1, 1] }, // Paeth predictor
    ],
    2,
  );
  const img = decodePng(png);
  expect([img.width, img.height]).toEqual([2, 5]);
  expect([...img.rgba.slice(0, 8)]).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);
  expect([...img.rgba.slice(8, 16)]).toEqual([1, 2, 3, 255, 2, 3, 4, 255]);
  expect([...img.rgba.slice(16, 24)]).toEqual([6, 7, 8, 255, 2, 3, 4, 255]);
  expect([...img.rgba.slice(24, 32)]).toEqual([7, 7, 8, 255, 6, 7, 8, 255]);
  expect([...img.rgba.slice(32, 40)]).toEqual([8, 8, 9, 255, 8, 9, 10, 255]);
  expect(inkFraction(img, [10, 20, 30], 4)).toBeCloseTo(9 / 10);
  expect(colourCount(img)).toBeGreaterThan(1);
});

test('refuses what is not a PNG', () => {
  expect(() => decodePng(Buffer.from('GIF89a'))).toThrow('not a PNG');
});

test('decodes Chromium screenshots', async ({ page }) => {
  await page.setViewportSize({ width: 200, height: 100 });
  await page.setContent(
    '<body style="margin:0;background:#000"><div style="width:100px;height:100px;background:linear-gradient(90deg,#f00,#00f)"></div></body>',
  );
  const img = decodePng(await page.screenshot());
  expect([img.width, img.height]).toEqual([200, 100]);
  expect(inkFraction(img, [0, 0, 0])).toBeCloseTo(0.5, 1);
  expect(brightFraction(img, 250)).toBe(0);
  const left = img.rgba.slice(0, 4);
  expect(left[0]).toBeGreaterThan(200);
  expect(left[2]).toBeLessThan(60);
});

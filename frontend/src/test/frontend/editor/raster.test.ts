// Raster operations of the mask editor on small bitmaps checked by hand. Pictures: '#' = 1, '.' = 0, rows top down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyRegion,
  colorRegion,
  fillHoles,
  fillPolygon,
  maskArea,
  maskBounds,
  paintLine,
  readRect,
  translateMask,
  writeRect,
} from '../../../main/frontend/editor/raster.ts';

function bitmap(rows: string[]): { b: Uint8Array; w: number; h: number } {
  const h = rows.length;
  const w = rows[0].length;
  const b = new Uint8Array(w * h);
  rows.forEach((row, y) => [...row].forEach((c, x) => (b[y * w + x] = c === '#' ? 1 : 0)));
  return { b, w, h };
}

function picture(b: Uint8Array, w: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y < b.length / w; y++) {
    rows.push([...b.subarray(y * w, (y + 1) * w)].map((v) => (v ? '#' : '.')).join(''));
  }
  return rows;
}

test('brush size 5 stamps a 5x5 disc without its corners around the clicked pixel', () => {
  const { b, w, h } = bitmap(Array(7).fill('.......'));
  const r = paintLine(b, w, h, 3.7, 3.2, 3.7, 3.2, 5, 1);
  assert.deepEqual(picture(b, w), [
    '.......',
    '..###..',
    '.#####.',
    '.#####.',
    '.#####.',
    '..###..',
    '.......',
  ]);
  assert.deepEqual(r, { x: 1, y: 1, w: 5, h: 5 });
});

test('brush size 1 paints exactly the pixel under the pointer, size 3 a 3x3 square', () => {
  const { b, w, h } = bitmap(['.....', '.....', '.....']);
  paintLine(b, w, h, 0.99, 0.01, 0.99, 0.01, 1, 1);
  assert.deepEqual(picture(b, w), ['#....', '.....', '.....']);
  paintLine(b, w, h, 3.5, 1.5, 3.5, 1.5, 3, 1);
  assert.deepEqual(picture(b, w), ['#.###', '..###', '..###']);
});

test('a brush line covers the capsule between its ends; the eraser removes the same pixels', () => {
  const { b, w, h } = bitmap(Array(5).fill('..........'));
  const r = paintLine(b, w, h, 1.5, 2.5, 8.5, 2.5, 3, 1);
  // centres (1, 2) and (8, 2), radius 1.5: the round caps reach one pixel beyond each end, also diagonally
  assert.deepEqual(picture(b, w), ['..........', '##########', '##########', '##########', '..........']);
  assert.deepEqual(r, { x: 0, y: 1, w: 10, h: 3 });
  paintLine(b, w, h, 4.5, 0.5, 4.5, 4.5, 1, 0);
  assert.deepEqual(picture(b, w), ['..........', '####.#####', '####.#####', '####.#####', '..........']);
});

test('a stroke partly outside the image is clipped to it; wholly outside changes nothing', () => {
  const { b, w, h } = bitmap(['....', '....', '....']);
  assert.deepEqual(paintLine(b, w, h, -1, 1.5, 1.5, 1.5, 1, 1), { x: 0, y: 1, w: 2, h: 1 });
  assert.deepEqual(picture(b, w), ['....', '##..', '....']);
  assert.equal(paintLine(b, w, h, -10, -10, -8, -8, 3, 1), null);
});

test('polygon add fills the pixels whose centres are inside; subtract clears them', () => {
  const { b, w, h } = bitmap(Array(6).fill('......'));
  const r = fillPolygon(b, w, h, [1, 1, 4, 1, 4, 4, 1, 4], 1);
  assert.deepEqual(picture(b, w), ['......', '.###..', '.###..', '.###..', '......', '......']);
  assert.deepEqual(r, { x: 1, y: 1, w: 3, h: 3 });
  // a triangle: right angle at top left
  const t = bitmap(Array(5).fill('.....'));
  fillPolygon(t.b, t.w, t.h, [0, 0, 5, 0, 0, 5], 1);
  assert.deepEqual(picture(t.b, t.w), ['####.', '###..', '##...', '#....', '.....']);
  fillPolygon(b, w, h, [2, 0, 3, 0, 3, 6, 2, 6], 0);
  assert.deepEqual(picture(b, w), ['......', '.#.#..', '.#.#..', '.#.#..', '......', '......']);
});

test('a self-intersecting polygon fills by the even-odd rule; fewer than 3 points do nothing', () => {
  const { b, w, h } = bitmap(Array(4).fill('....'));
  // a bow tie: a left and a right triangle meeting in the middle. Row 0's centre (0.5, 0.5) lies on the left
  // triangle's slanted edge: spans are [left, right), so it is outside there, while (3.5, 0.5) is inside
  fillPolygon(b, w, h, [0, 0, 4, 4, 4, 0, 0, 4], 1);
  assert.deepEqual(picture(b, w), ['...#', '#.##', '#.##', '...#']);
  assert.equal(fillPolygon(b, w, h, [0, 0, 3, 3], 1), null);
});

/** RGBA pixels from grey levels. */
function greys(rows: number[][]): { px: Uint8ClampedArray; w: number; h: number } {
  const h = rows.length;
  const w = rows[0].length;
  const px = new Uint8ClampedArray(w * h * 4);
  rows.forEach((row, y) =>
    row.forEach((v, x) => {
      px.set([v, v, v, 255], (y * w + x) * 4);
    }),
  );
  return { px, w, h };
}

test('magic wand takes the 4-connected pixels within the tolerance of the clicked colour', () => {
  const img = greys([
    [100, 104, 200, 100],
    [108, 110, 200, 100],
    [200, 100, 200, 101],
    [100, 120, 100, 100],
  ]);
  const tight = colorRegion(img.px, img.w, img.h, 0.5, 0.5, 5)!;
  assert.deepEqual(picture(tight.region, img.w), ['##..', '....', '....', '....']);
  assert.deepEqual(tight.bounds, { x: 0, y: 0, w: 2, h: 1 });
  const loose = colorRegion(img.px, img.w, img.h, 0, 0, 10)!;
  // (0,3) is 100 but walled in by 200 and 120; the right column lies behind the 200 wall
  assert.deepEqual(picture(loose.region, img.w), ['##..', '##..', '.#..', '....']);
  const wide = colorRegion(img.px, img.w, img.h, 3, 0, 20)!;
  // from the right column round the bottom row (120 is exactly 20 away) up into the top left
  assert.deepEqual(picture(wide.region, img.w), ['##.#', '##.#', '.#.#', '####']);
  assert.equal(colorRegion(img.px, img.w, img.h, 4, 0, 10), null);
});

test('magic wand compares each of red, green and blue', () => {
  const px = new Uint8ClampedArray([10, 10, 10, 255, 10, 10, 60, 255, 12, 9, 11, 0]);
  const found = colorRegion(px, 3, 1, 0, 0, 5)!;
  assert.deepEqual([...found.region], [1, 0, 0]);
  const bm = new Uint8Array([0, 0, 1]);
  applyRegion(bm, 3, found.region, found.bounds, 1);
  assert.deepEqual([...bm], [1, 0, 1]);
});

test('fill holes fills enclosed background, not background touching the border', () => {
  const { b, w, h } = bitmap([
    '.#####..',
    '.#..#...',
    '.#####..',
    '......#.',
    '.....#.#',
    '......#.',
  ]);
  const r = fillHoles(b, w, h);
  assert.deepEqual(picture(b, w), [
    '.#####..',
    '.####...',
    '.#####..',
    '......#.',
    '.....###',
    '......#.',
  ]);
  // (5,1) reaches the border through (6,1); (6,4) is walled in on its four sides (diagonal gaps do not let out)
  assert.deepEqual(r, { x: 2, y: 1, w: 5, h: 4 });
});

test('a hole open to the image border is not filled', () => {
  const { b, w, h } = bitmap([
    '#####',
    '#...#',
    '#....',
    '#####',
  ]);
  assert.equal(fillHoles(b, w, h), null);
  assert.deepEqual(picture(b, w), ['#####', '#...#', '#....', '#####']);
  // the mask covers the whole image edge: the inside is a hole
  const ring = bitmap(['####', '#..#', '####']);
  fillHoles(ring.b, ring.w, ring.h);
  assert.deepEqual(picture(ring.b, ring.w), ['####', '####', '####']);
  assert.equal(fillHoles(new Uint8Array(9), 3, 3), null);
});

test('bounds, area, reading and writing rectangles, moving', () => {
  const { b, w, h } = bitmap(['.....', '..#..', '.##..', '.....']);
  assert.deepEqual(maskBounds(b, w, h), { x: 1, y: 1, w: 2, h: 2 });
  assert.equal(maskBounds(new Uint8Array(6), 3, 2), null);
  assert.equal(maskArea(b), 3);
  const r = { x: 1, y: 1, w: 2, h: 2 };
  assert.deepEqual([...readRect(b, w, r)], [0, 1, 1, 1]);
  writeRect(b, w, r, new Uint8Array([1, 0, 0, 1]));
  assert.deepEqual(picture(b, w), ['.....', '.#...', '..#..', '.....']);
  assert.throws(() => writeRect(b, w, r, new Uint8Array(3)), /expected 2 x 2/);
  const moved = translateMask(b, w, h, 2, 1);
  assert.deepEqual(picture(b, w), ['.....', '.....', '...#.', '....#']);
  assert.deepEqual(moved, { x: 1, y: 1, w: 4, h: 3 });
  translateMask(b, w, h, 1, 0);
  assert.deepEqual(picture(b, w), ['.....', '.....', '....#', '.....']);
});

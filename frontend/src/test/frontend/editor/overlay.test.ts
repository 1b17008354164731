// The overlay composer: later layers on top, edges, only the asked rectangle touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeOverlay, packColor } from '../../../main/frontend/editor/overlay.ts';

const RED = packColor(255, 0, 0, 128);
const RED_EDGE = packColor(255, 0, 0, 255);
const BLUE = packColor(0, 0, 255, 128);

test('packColor gives little-endian RGBA as ImageData stores it', () => {
  const px = new Uint32Array([packColor(1, 2, 3, 4)]);
  assert.deepEqual([...new Uint8Array(px.buffer)], [1, 2, 3, 4]);
});

test('later sources paint over earlier ones; pixels of no mask stay clear', () => {
  const w = 4;
  const h = 2;
  const a = new Uint8Array([1, 1, 0, 0, 1, 1, 0, 0]);
  const b = new Uint8Array([0, 1, 1, 0, 0, 0, 0, 0]);
  const out = new Uint32Array(w * h).fill(7);
  composeOverlay(
    out,
    w,
    h,
    [
      { bitmap: a, bounds: { x: 0, y: 0, w: 2, h: 2 }, fill: RED, edge: 0 },
      { bitmap: b, bounds: { x: 1, y: 0, w: 2, h: 1 }, fill: BLUE, edge: 0 },
    ],
    { x: 0, y: 0, w, h },
  );
  assert.deepEqual([...out], [RED, BLUE, BLUE, 0, RED, RED, 0, 0]);
});

test('edge pixels (a 4-neighbour outside the mask or the image) get the edge colour', () => {
  const w = 5;
  const h = 5;
  const m = new Uint8Array(w * h);
  for (let y = 1; y < 4; y++) for (let x = 1; x < 5; x++) m[y * w + x] = 1;
  const out = new Uint32Array(w * h);
  composeOverlay(out, w, h, [{ bitmap: m, bounds: { x: 1, y: 1, w: 4, h: 3 }, fill: RED, edge: RED_EDGE }], {
    x: 0,
    y: 0,
    w,
    h,
  });
  const pic = [];
  for (let y = 0; y < h; y++) {
    pic.push([...out.subarray(y * w, (y + 1) * w)].map((v) => (v === RED_EDGE ? 'E' : v === RED ? 'f' : '.')).join(''));
  }
  assert.deepEqual(pic, ['.....', '.EEEE', '.EffE', '.EEEE', '.....']);
});

test('only the given rectangle is cleared and repainted; masks outside their bounds are not read', () => {
  const w = 3;
  const h = 3;
  const m = new Uint8Array(9).fill(1);
  const out = new Uint32Array(9).fill(5);
  // bounds claim only the centre pixel: the rest of the bitmap is not looked at
  composeOverlay(out, w, h, [{ bitmap: m, bounds: { x: 1, y: 1, w: 1, h: 1 }, fill: RED, edge: 0 }], { x: 1, y: 0, w: 2, h: 2 });
  assert.deepEqual([...out], [5, 0, 0, 5, RED, 0, 5, 5, 5]);
});

test('edges of width 2 take every pixel within two steps of the outside', () => {
  const w = 7;
  const h = 7;
  const m = new Uint8Array(w * h);
  for (let y = 1; y < 7; y++) for (let x = 1; x < 7; x++) m[y * w + x] = 1;
  const out = new Uint32Array(w * h);
  composeOverlay(out, w, h, [{ bitmap: m, bounds: { x: 1, y: 1, w: 6, h: 6 }, fill: RED, edge: RED_EDGE }], { x: 0, y: 0, w, h }, 2);
  const pic = [];
  for (let y = 0; y < h; y++) {
    pic.push([...out.subarray(y * w, (y + 1) * w)].map((v) => (v === RED_EDGE ? 'E' : v === RED ? 'f' : '.')).join(''));
  }
  // the image border counts as outside: the last two rows and columns are edge too
  assert.deepEqual(pic, ['.......', '.EEEEEE', '.EEEEEE', '.EEffEE', '.EEffEE', '.EEEEEE', '.EEEEEE']);
});

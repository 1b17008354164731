import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampScale, fitView, imageToView, viewToImage, zoomAbout } from '../../../main/frontend/editor/viewport.ts';

test('fit: the whole image, centred, as large as the box allows', () => {
  assert.deepEqual(fitView(200, 100, 400, 400), { scale: 2, ox: 0, oy: 100 });
  assert.deepEqual(fitView(100, 200, 400, 200), { scale: 1, ox: 150, oy: 0 });
  assert.deepEqual(fitView(0, 0, 0, 0), { scale: 1, ox: 0, oy: 0 }, 'no size yet: no division by zero');
});

test('zoom about a point keeps the image point under it; image and view convert both ways', () => {
  const view = fitView(200, 100, 400, 400);
  const before = viewToImage(view, 130, 170);
  const zoomed = zoomAbout(view, 130, 170, 5);
  assert.equal(zoomed.scale, 5);
  const after = viewToImage(zoomed, 130, 170);
  assert.ok(Math.abs(after.x - before.x) < 1e-9 && Math.abs(after.y - before.y) < 1e-9);
  // a seeded round trip over random views and points
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (let i = 0; i < 200; i++) {
    const v = { scale: 0.05 + rnd() * 20, ox: rnd() * 1000 - 500, oy: rnd() * 1000 - 500 };
    const p = { x: rnd() * 3000, y: rnd() * 2000 };
    const back = viewToImage(v, imageToView(v, p.x, p.y).x, imageToView(v, p.x, p.y).y);
    assert.ok(Math.abs(back.x - p.x) < 1e-6 && Math.abs(back.y - p.y) < 1e-6);
  }
});

test('scales stay between a quarter of the fit (or of 1:1) and 64', () => {
  assert.equal(clampScale(100, 0.5), 64);
  assert.equal(clampScale(0.01, 0.5), 0.125);
  assert.equal(clampScale(0.01, 3), 0.25);
  assert.equal(clampScale(2, 0.5), 2);
});

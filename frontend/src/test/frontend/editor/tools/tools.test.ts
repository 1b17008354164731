// The canvas tools on plain bitmaps, through a context that records what they ask of the canvas.
// Pictures: '#' = 1, '.' = 0, rows top down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrushTool } from '../../../../main/frontend/editor/tools/brush-tool.ts';
import { PolygonTool } from '../../../../main/frontend/editor/tools/polygon-tool.ts';
import type { Point, ToolContext, ToolLayer, ToolPointer } from '../../../../main/frontend/editor/tools/tool.ts';
import type { Rect } from '../../../../main/frontend/editor/raster.ts';

/** A context over one layer of w × h (or none), 10 screen pixels per image pixel. */
function context(w: number, h: number, opts: { brushSize?: number; noLayer?: boolean } = {}) {
  const layer: ToolLayer = { key: 'm0', bitmap: new Uint8Array(w * h) };
  const edits: { key: string; r: Rect; before: Uint8Array }[] = [];
  const touched: Rect[] = [];
  let redraws = 0;
  const ctx: ToolContext = {
    width: w,
    height: h,
    brushSize: opts.brushSize ?? 1,
    target: () => (opts.noLayer ? null : layer),
    layer: (key) => (key === layer.key && !opts.noLayer ? layer : null),
    touched: (_key, r) => { touched.push(r); },
    edited: (key, r, before) => { edits.push({ key, r, before }); },
    toClient: (p: Point) => ({ x: p.x * 10, y: p.y * 10 }),
    redraw: () => { redraws++; },
  };
  return { ctx, layer, edits, touched, redraws: () => redraws };
}

function at(x: number, y: number, button = 0): ToolPointer {
  return { image: { x, y }, client: { x: x * 10, y: y * 10 }, button, altKey: false };
}

function picture(bitmap: Uint8Array, w: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y * w < bitmap.length; y++) {
    rows.push([...bitmap.slice(y * w, (y + 1) * w)].map((v) => (v ? '#' : '.')).join(''));
  }
  return rows;
}

test('brush: a stroke paints along the pointer and ends as one edit with the pixels before', () => {
  const { ctx, layer, edits } = context(6, 3);
  const brush = new BrushTool(1);
  assert.equal(brush.pointerDown(ctx, at(0.5, 1.5)), true, 'the brush takes the pointer');
  assert.equal(brush.busy, true);
  brush.pointerMove(ctx, at(3.5, 1.5));
  assert.deepEqual(picture(layer.bitmap, 6), ['......', '####..', '......']);
  assert.equal(edits.length, 0, 'no edit before the pointer is up');
  brush.pointerUp(ctx, at(3.5, 1.5));
  assert.equal(brush.busy, false);
  assert.equal(edits.length, 1);
  assert.deepEqual(edits[0].r, { x: 0, y: 1, w: 4, h: 1 });
  assert.deepEqual([...edits[0].before], [0, 0, 0, 0], 'the undo step holds the pixels as they were');
});

test('eraser: the same machine painting 0; a stroke that changes nothing is no edit', () => {
  const { ctx, layer, edits } = context(4, 2);
  layer.bitmap.set([1, 1, 1, 1, 0, 0, 0, 0]);
  const eraser = new BrushTool(0);
  eraser.pointerDown(ctx, at(1.5, 0.5));
  eraser.pointerUp(ctx, at(1.5, 0.5));
  assert.deepEqual(picture(layer.bitmap, 4), ['#.##', '....']);
  assert.equal(edits.length, 1);
  assert.deepEqual([...edits[0].before], [1]);
  // erasing where nothing is: paintLine reports no change, so there is no edit
  eraser.pointerDown(ctx, at(1.5, 1.5));
  eraser.pointerUp(ctx, at(1.5, 1.5));
  assert.equal(edits.length, 1);
});

test('brush: without a layer, or with another button, nothing happens', () => {
  const none = context(4, 2, { noLayer: true });
  const brush = new BrushTool(1);
  assert.equal(brush.pointerDown(none.ctx, at(1, 1)), false);
  brush.pointerUp(none.ctx, at(1, 1));
  assert.equal(none.edits.length, 0);
  const some = context(4, 2);
  assert.equal(brush.pointerDown(some.ctx, at(1, 1, 2)), false);
  assert.deepEqual(picture(some.layer.bitmap, 4), ['....', '....']);
  assert.deepEqual(brush.overlay({ ...some.ctx, brushSize: 12 }), { kind: 'brush', radius: 6 });
});

test('polygon: corners, then a click on the first closes and fills as one edit', () => {
  const { ctx, layer, edits } = context(6, 6);
  const poly = new PolygonTool(false);
  for (const [x, y] of [[1, 1], [5, 1], [5, 5], [1, 5]]) {
    assert.equal(poly.pointerDown(ctx, at(x, y)), false);
  }
  assert.deepEqual(poly.overlay(ctx), { kind: 'polygon', points: [1, 1, 5, 1, 5, 5, 1, 5], subtract: false });
  assert.equal(edits.length, 0);
  poly.pointerDown(ctx, at(1.3, 1.2)); // 3.6 screen pixels from the first corner
  assert.equal(poly.overlay(ctx), null, 'closed: no corners left');
  assert.equal(edits.length, 1);
  assert.deepEqual(picture(layer.bitmap, 6), ['......', '.####.', '.####.', '.####.', '.####.', '......']);
  assert.equal(edits[0].before.every((v) => v === 0), true);
});

test('polygon subtract: Enter closes; Backspace drops a corner, Escape all; two corners fill nothing', () => {
  const { ctx, layer, edits } = context(4, 4);
  layer.bitmap.fill(1);
  const poly = new PolygonTool(true);
  assert.equal(poly.key(ctx, 'Enter'), false, 'keys are free while no corner is set');
  for (const [x, y] of [[0, 0], [2, 0], [3, 3]]) {
    poly.pointerDown(ctx, at(x, y));
  }
  poly.pointerDown(ctx, at(9, 9));
  assert.equal(poly.key(ctx, 'Backspace'), true);
  assert.equal(poly.corners.length, 6);
  assert.equal(poly.key(ctx, 'Enter'), true);
  assert.equal(edits.length, 1);
  assert.ok(layer.bitmap.some((v) => v === 0) && layer.bitmap.some((v) => v === 1), 'a triangle cut out');

  poly.pointerDown(ctx, at(0, 0));
  poly.pointerDown(ctx, at(3, 0));
  assert.equal(poly.key(ctx, 'Escape'), true);
  assert.equal(poly.corners.length, 0);
  poly.pointerDown(ctx, at(0, 0));
  poly.pointerDown(ctx, at(3, 0));
  poly.doubleClick(ctx);
  assert.equal(edits.length, 1, 'two corners are no polygon');
});

test('polygon: a double click drops the corner its second click repeated, then closes', () => {
  const { ctx, edits } = context(8, 8);
  const poly = new PolygonTool(false);
  for (const [x, y] of [[1, 1], [6, 1], [6, 6], [6, 6]]) {
    poly.pointerDown(ctx, at(x, y));
  }
  poly.doubleClick(ctx);
  assert.equal(edits.length, 1);
  assert.deepEqual(edits[0].r, { x: 0, y: 0, w: 7, h: 7 }, 'the corners\' box, a pixel more around');
  poly.cancel(ctx);
  assert.equal(poly.overlay(ctx), null);
});

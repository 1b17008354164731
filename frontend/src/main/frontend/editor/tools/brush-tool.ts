/**
 * Brush and eraser: one state machine, painting 1 or 0. Idle → (pointer down on a layer) stroking → (up) idle with
 * one edit: the stroke's bounding rectangle and its pixels before. A stroke that changed nothing is no edit.
 */
import { paintLine, readRect, unionRect, type Rect } from '../raster';
import type { Tool, ToolContext, ToolOverlay, ToolPointer } from './tool';

interface Stroke {
  key: string;
  snapshot: Uint8Array;
  lastX: number;
  lastY: number;
  rect: Rect | null;
}

export class BrushTool implements Tool {
  readonly cursor = 'none';
  private stroke: Stroke | null = null;
  /** 1: the brush, 0: the eraser */
  readonly value: 0 | 1;

  constructor(value: 0 | 1) {
    this.value = value;
  }

  get busy(): boolean {
    return this.stroke !== null;
  }

  pointerDown(ctx: ToolContext, p: ToolPointer): boolean {
    if (p.button !== 0) {
      return false;
    }
    const layer = ctx.target();
    if (!layer) {
      return false;
    }
    this.stroke = { key: layer.key, snapshot: layer.bitmap.slice(), lastX: p.image.x, lastY: p.image.y, rect: null };
    this.paint(ctx, layer.bitmap, p.image.x, p.image.y);
    return true;
  }

  pointerMove(ctx: ToolContext, p: ToolPointer): void {
    const s = this.stroke;
    const layer = s && ctx.layer(s.key);
    if (!s || !layer) {
      ctx.redraw(); // the cursor follows the pointer
      return;
    }
    this.paint(ctx, layer.bitmap, p.image.x, p.image.y);
  }

  pointerUp(ctx: ToolContext): void {
    const s = this.stroke;
    this.stroke = null;
    const layer = s && ctx.layer(s.key);
    if (s?.rect && layer) {
      const before = readRect(s.snapshot, ctx.width, s.rect);
      const after = readRect(layer.bitmap, ctx.width, s.rect);
      if (before.some((v, i) => v !== after[i])) {
        ctx.edited(s.key, s.rect, before);
      }
    }
  }

  doubleClick(): void {
  }

  key(): boolean {
    return false;
  }

  cancel(ctx: ToolContext): void {
    this.pointerUp(ctx);
  }

  overlay(ctx: ToolContext): ToolOverlay {
    return { kind: 'brush', radius: Math.max(0.5, ctx.brushSize / 2) };
  }

  private paint(ctx: ToolContext, bitmap: Uint8Array, x: number, y: number) {
    const s = this.stroke!;
    const r = paintLine(bitmap, ctx.width, ctx.height, s.lastX, s.lastY, x, y, ctx.brushSize, this.value);
    s.lastX = x;
    s.lastY = y;
    if (r) {
      s.rect = unionRect(s.rect, r);
      ctx.touched(s.key, r, this.value === 1);
    }
  }
}

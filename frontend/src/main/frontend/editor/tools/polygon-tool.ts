/**
 * Polygon (add or subtract): clicks collect corners; a click within 6 screen pixels of the first corner, a double
 * click or Enter closes it and fills it into the target layer (1 or 0) as one edit; Backspace drops the last corner,
 * Escape all of them. Fewer than three corners fill nothing.
 */
import { fillPolygon, intersectRect, readRect, type Rect } from '../raster';
import type { Tool, ToolContext, ToolOverlay, ToolPointer } from './tool';

/** how close (screen pixels) a click must be to the first corner to close the polygon */
export const CLOSE_DISTANCE = 6;

export class PolygonTool implements Tool {
  readonly cursor = 'crosshair';
  readonly busy = false;
  private points: number[] = [];
  readonly subtract: boolean;

  constructor(subtract: boolean) {
    this.subtract = subtract;
  }

  get corners(): readonly number[] {
    return this.points;
  }

  pointerDown(ctx: ToolContext, p: ToolPointer): boolean {
    if (p.button !== 0) {
      return false;
    }
    if (this.points.length >= 6) {
      const first = ctx.toClient({ x: this.points[0], y: this.points[1] });
      if (Math.hypot(first.x - p.client.x, first.y - p.client.y) <= CLOSE_DISTANCE) {
        this.close(ctx);
        return false;
      }
    }
    this.points.push(p.image.x, p.image.y);
    ctx.redraw();
    return false;
  }

  pointerMove(ctx: ToolContext): void {
    if (this.points.length > 0) {
      ctx.redraw(); // the rubber band follows the pointer
    }
  }

  pointerUp(): void {
  }

  doubleClick(ctx: ToolContext): void {
    // the double click's two clicks added the same corner twice: drop one
    const n = this.points.length;
    if (n >= 4 && this.points[n - 1] === this.points[n - 3] && this.points[n - 2] === this.points[n - 4]) {
      this.points.length = n - 2;
    }
    this.close(ctx);
  }

  key(ctx: ToolContext, key: string): boolean {
    if (this.points.length === 0) {
      return false;
    }
    if (key === 'Escape') {
      this.points = [];
    } else if (key === 'Enter') {
      this.close(ctx);
      return true;
    } else if (key === 'Backspace') {
      this.points.length = Math.max(0, this.points.length - 2);
    } else {
      return false;
    }
    ctx.redraw();
    return true;
  }

  cancel(ctx: ToolContext): void {
    if (this.points.length > 0) {
      this.points = [];
      ctx.redraw();
    }
  }

  overlay(): ToolOverlay {
    return this.points.length >= 2 ? { kind: 'polygon', points: this.points, subtract: this.subtract } : null;
  }

  /** Fills the polygon into the target layer as one edit (nothing for fewer than three corners). */
  close(ctx: ToolContext) {
    const points = this.points;
    this.points = [];
    ctx.redraw();
    if (points.length < 6) {
      return;
    }
    const layer = ctx.target();
    const area = box(points, ctx.width, ctx.height);
    if (!layer || !area) {
      return;
    }
    const before = readRect(layer.bitmap, ctx.width, area);
    const changed = fillPolygon(layer.bitmap, ctx.width, ctx.height, points, this.subtract ? 0 : 1);
    if (!changed) {
      return;
    }
    ctx.touched(layer.key, changed, !this.subtract);
    ctx.edited(layer.key, area, before);
  }
}

/** The corners' bounding box, one pixel more on each side, within the image. */
function box(points: readonly number[], width: number, height: number): Rect | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    x0 = Math.min(x0, points[i]);
    x1 = Math.max(x1, points[i]);
    y0 = Math.min(y0, points[i + 1]);
    y1 = Math.max(y1, points[i + 1]);
  }
  return intersectRect(
    { x: Math.floor(x0) - 1, y: Math.floor(y0) - 1, w: Math.ceil(x1) - Math.floor(x0) + 2, h: Math.ceil(y1) - Math.floor(y0) + 2 },
    { x: 0, y: 0, w: width, h: height },
  );
}

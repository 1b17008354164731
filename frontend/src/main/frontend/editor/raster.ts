/**
 * Raster operations of the mask editor on row-major bitmaps (index y * width + x, 1 = mask), edited in place.
 * Every operation returns the rectangle of pixels it may have changed (null: none), so the canvas only redraws
 * and the undo history only keeps that rectangle.
 *
 * Coordinates are image pixels; pixel (x, y) covers [x, x + 1) × [y, y + 1) and counts as inside a shape when its
 * centre (x + 0.5, y + 0.5) is.
 *
 * Pure module without imports: Node runs it directly (type stripping) in the tests.
 */

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The smallest rectangle holding both (either may be null). */
export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) {
    return b;
  }
  if (!b) {
    return a;
  }
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** The part of a rectangle that lies inside another one (or inside 0..width × 0..height), null when none. */
export function intersectRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a || !b) {
    return null;
  }
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.w, b.x + b.w);
  const y1 = Math.min(a.y + a.h, b.y + b.h);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

/** A rectangle grown by `by` pixels on every side, kept inside width × height. */
export function growRect(r: Rect, by: number, width: number, height: number): Rect | null {
  return intersectRect({ x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by }, { x: 0, y: 0, w: width, h: height });
}

/** Tight bounds of the mask pixels, null when the bitmap is empty. Uses native indexOf scans. */
export function maskBounds(bitmap: Uint8Array, width: number, height: number): Rect | null {
  const first = bitmap.indexOf(1);
  if (first < 0) {
    return null;
  }
  const last = bitmap.lastIndexOf(1);
  const y0 = Math.floor(first / width);
  const y1 = Math.floor(last / width);
  let x0 = width;
  let x1 = -1;
  for (let y = y0; y <= y1 && (x0 > 0 || x1 < width - 1); y++) {
    const row = bitmap.subarray(y * width, (y + 1) * width);
    const a = row.indexOf(1);
    if (a < 0) {
      continue;
    }
    if (a < x0) {
      x0 = a;
    }
    const b = row.lastIndexOf(1);
    if (b > x1) {
      x1 = b;
    }
  }
  void height;
  return { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** The number of mask pixels. */
export function maskArea(bitmap: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bitmap.length; i++) {
    n += bitmap[i] !== 0 ? 1 : 0;
  }
  return n;
}

/** A copy of the pixels of a rectangle (row-major, r.w × r.h). */
export function readRect(bitmap: Uint8Array, width: number, r: Rect): Uint8Array {
  const out = new Uint8Array(r.w * r.h);
  for (let y = 0; y < r.h; y++) {
    const from = (r.y + y) * width + r.x;
    out.set(bitmap.subarray(from, from + r.w), y * r.w);
  }
  return out;
}

/** Writes r.w × r.h pixels (row-major) into a rectangle of the bitmap. */
export function writeRect(bitmap: Uint8Array, width: number, r: Rect, pixels: Uint8Array) {
  if (pixels.length !== r.w * r.h) {
    throw new Error(`patch has ${pixels.length} pixels, expected ${r.w} x ${r.h}`);
  }
  for (let y = 0; y < r.h; y++) {
    bitmap.set(pixels.subarray(y * r.w, (y + 1) * r.w), (r.y + y) * width + r.x);
  }
}

/**
 * Brush (value 1) or eraser (value 0) from (x0, y0) to (x1, y1): every pixel whose centre lies within size / 2 of
 * the segment between the centres of the pixels holding the two points (a disc when both are the same pixel).
 * Size 1 is one pixel, 3 a 3 × 3 square, 5 a 5 × 5 square without its corners.
 */
export function paintLine(
  bitmap: Uint8Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  size: number,
  value: 0 | 1,
): Rect | null {
  const ax = Math.floor(x0);
  const ay = Math.floor(y0);
  const bx = Math.floor(x1);
  const by = Math.floor(y1);
  const r = Math.max(0.5, size / 2);
  const r2 = r * r + 1e-9;
  const reach = Math.floor(r);
  const box = intersectRect(
    {
      x: Math.min(ax, bx) - reach,
      y: Math.min(ay, by) - reach,
      w: Math.abs(ax - bx) + 2 * reach + 1,
      h: Math.abs(ay - by) + 2 * reach + 1,
    },
    { x: 0, y: 0, w: width, h: height },
  );
  if (!box) {
    return null;
  }
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  for (let y = box.y; y < box.y + box.h; y++) {
    const row = y * width;
    for (let x = box.x; x < box.x + box.w; x++) {
      // squared distance of (x, y) to the segment (pixel centres are integer points here: both are shifted by 0.5)
      let t = len2 === 0 ? 0 : ((x - ax) * dx + (y - ay) * dy) / len2;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = x - (ax + t * dx);
      const ey = y - (ay + t * dy);
      if (ex * ex + ey * ey <= r2) {
        bitmap[row + x] = value;
      }
    }
  }
  return box;
}

/**
 * Fills a polygon (points interleaved x, y in image coordinates, even-odd rule) with `value`: 1 adds to the mask,
 * 0 subtracts from it. A pixel is inside when its centre is.
 */
export function fillPolygon(
  bitmap: Uint8Array,
  width: number,
  height: number,
  points: ArrayLike<number>,
  value: 0 | 1,
): Rect | null {
  const n = Math.floor(points.length / 2);
  if (n < 3) {
    return null;
  }
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minY = Math.min(minY, points[2 * i + 1]);
    maxY = Math.max(maxY, points[2 * i + 1]);
  }
  const yStart = Math.max(0, Math.ceil(minY - 0.5));
  const yEnd = Math.min(height - 1, Math.floor(maxY - 0.5));
  let changed: Rect | null = null;
  const xs: number[] = [];
  for (let y = yStart; y <= yEnd; y++) {
    const yc = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = points[2 * i];
      const yi = points[2 * i + 1];
      const xj = points[2 * j];
      const yj = points[2 * j + 1];
      if (yi <= yc !== yj <= yc) {
        xs.push(xi + ((yc - yi) * (xj - xi)) / (yj - yi));
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // pixels whose centre x + 0.5 lies in [xs[k], xs[k + 1])
      const from = Math.max(0, Math.ceil(xs[k] - 0.5));
      const to = Math.min(width - 1, Math.ceil(xs[k + 1] - 0.5) - 1);
      if (to >= from) {
        bitmap.fill(value, y * width + from, y * width + to + 1);
        changed = unionRect(changed, { x: from, y, w: to - from + 1, h: 1 });
      }
    }
  }
  return changed;
}

/**
 * Magic wand: the 4-connected region of pixels around (x, y) whose colour differs from the clicked pixel's by at
 * most `tolerance` in each of red, green and blue (alpha is ignored). `rgba` is the image's pixels as canvas
 * ImageData holds them. Returns the region as a bitmap plus its bounds, null when (x, y) is outside the image.
 */
export function colorRegion(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  tolerance: number,
): { region: Uint8Array; bounds: Rect } | null {
  const sx = Math.floor(x);
  const sy = Math.floor(y);
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) {
    return null;
  }
  const tol = Math.max(0, tolerance);
  const s = (sy * width + sx) * 4;
  const r0 = rgba[s];
  const g0 = rgba[s + 1];
  const b0 = rgba[s + 2];
  const region = new Uint8Array(width * height);
  const matches = (i: number) => {
    if (region[i]) {
      return false;
    }
    const o = i * 4;
    return Math.abs(rgba[o] - r0) <= tol && Math.abs(rgba[o + 1] - g0) <= tol && Math.abs(rgba[o + 2] - b0) <= tol;
  };
  let minX = sx;
  let maxX = sx;
  let minY = sy;
  let maxY = sy;
  const stack: number[] = [sx, sy];
  while (stack.length > 0) {
    const cy = stack.pop()!;
    const cx = stack.pop()!;
    const row = cy * width;
    if (!matches(row + cx)) {
      continue;
    }
    let left = cx;
    while (left > 0 && matches(row + left - 1)) {
      left--;
    }
    let right = cx;
    while (right < width - 1 && matches(row + right + 1)) {
      right++;
    }
    region.fill(1, row + left, row + right + 1);
    minX = Math.min(minX, left);
    maxX = Math.max(maxX, right);
    minY = Math.min(minY, cy);
    maxY = Math.max(maxY, cy);
    for (const ny of [cy - 1, cy + 1]) {
      if (ny < 0 || ny >= height) {
        continue;
      }
      const nrow = ny * width;
      let inSpan = false;
      for (let nx = left; nx <= right; nx++) {
        const m = matches(nrow + nx);
        if (m && !inSpan) {
          stack.push(nx, ny);
        }
        inSpan = m;
      }
    }
  }
  return { region, bounds: { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 } };
}

/** Sets the mask pixels of `region` (same size as the bitmap) inside `r` to `value`. */
export function applyRegion(bitmap: Uint8Array, width: number, region: Uint8Array, r: Rect, value: 0 | 1) {
  for (let y = r.y; y < r.y + r.h; y++) {
    for (let i = y * width + r.x, end = i + r.w; i < end; i++) {
      if (region[i]) {
        bitmap[i] = value;
      }
    }
  }
}

/**
 * Fill holes: background pixels that are not 4-connected to the image border become mask. Returns the rectangle
 * that changed, null when there was no hole. Works inside the mask's bounds grown by one pixel: background
 * outside the bounds all reaches the border, so a region there is a hole exactly when it does not reach the edge of
 * that rectangle.
 */
export function fillHoles(bitmap: Uint8Array, width: number, height: number, bounds?: Rect | null): Rect | null {
  const b = bounds === undefined ? maskBounds(bitmap, width, height) : bounds;
  if (!b) {
    return null;
  }
  const r = growRect(b, 1, width, height);
  if (!r) {
    return null;
  }
  // outside[k] = 1 for background pixels of r connected to r's edge
  const outside = new Uint8Array(r.w * r.h);
  const stack: number[] = [];
  const push = (x: number, y: number) => {
    const k = y * r.w + x;
    if (!outside[k] && !bitmap[(r.y + y) * width + r.x + x]) {
      outside[k] = 1;
      stack.push(x, y);
    }
  };
  for (let x = 0; x < r.w; x++) {
    push(x, 0);
    push(x, r.h - 1);
  }
  for (let y = 0; y < r.h; y++) {
    push(0, y);
    push(r.w - 1, y);
  }
  while (stack.length > 0) {
    const y = stack.pop()!;
    const x = stack.pop()!;
    if (x > 0) push(x - 1, y);
    if (x < r.w - 1) push(x + 1, y);
    if (y > 0) push(x, y - 1);
    if (y < r.h - 1) push(x, y + 1);
  }
  let x0 = r.w;
  let x1 = -1;
  let y0 = r.h;
  let y1 = -1;
  for (let y = 0; y < r.h; y++) {
    for (let x = 0; x < r.w; x++) {
      const i = (r.y + y) * width + r.x + x;
      if (!bitmap[i] && !outside[y * r.w + x]) {
        bitmap[i] = 1;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  return x1 < 0 ? null : { x: r.x + x0, y: r.y + y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * Moves the mask by (dx, dy) whole pixels; what leaves the image is lost. Returns the rectangle that changed (old
 * and new place), null when nothing did.
 */
export function translateMask(bitmap: Uint8Array, width: number, height: number, dx: number, dy: number): Rect | null {
  const b = maskBounds(bitmap, width, height);
  const mx = Math.round(dx);
  const my = Math.round(dy);
  if (!b || (mx === 0 && my === 0)) {
    return null;
  }
  const src = readRect(bitmap, width, b);
  for (let y = b.y; y < b.y + b.h; y++) {
    bitmap.fill(0, y * width + b.x, y * width + b.x + b.w);
  }
  const target = intersectRect({ x: b.x + mx, y: b.y + my, w: b.w, h: b.h }, { x: 0, y: 0, w: width, h: height });
  if (target) {
    for (let y = target.y; y < target.y + target.h; y++) {
      for (let x = target.x; x < target.x + target.w; x++) {
        if (src[(y - my - b.y) * b.w + (x - mx - b.x)]) {
          bitmap[y * width + x] = 1;
        }
      }
    }
  }
  return unionRect(b, target);
}

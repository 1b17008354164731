/**
 * Composes mask layers into one RGBA overlay (a Uint32Array view of ImageData, little-endian: 0xAABBGGRR), in a
 * single pass per layer over only the layer's bounds, so opening an item with many small masks touches few pixels,
 * and a brush stroke recomposes only its dirty rectangle.
 *
 * Pure module without imports: Node runs it directly (type stripping) in the tests.
 */

export interface OverlayRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface OverlaySource {
  bitmap: Uint8Array;
  /** conservative bounds of the mask pixels (may be larger than tight), null = empty */
  bounds: OverlayRect | null;
  /** packed colour of the fill (0 = no fill) */
  fill: number;
  /** packed colour of the edge pixels (0 = no edges) */
  edge: number;
}

/** Packs r, g, b, a (0-255) as a little-endian RGBA pixel. */
export function packColor(r: number, g: number, b: number, a: number): number {
  return (((a & 255) << 24) | ((b & 255) << 16) | ((g & 255) << 8) | (r & 255)) >>> 0;
}

/**
 * Clears `rect` of `out` (width × height) and paints the sources in order, later ones on top: each mask pixel (value
 * 1) gets
 * the source's fill colour, or its edge colour when it is on the mask's edge: a pixel at most `edgeWidth` steps
 * left, right, up or down lies outside the mask or the image. (Edges wider than 1 keep outlines visible when the
 * overlay is drawn shrunk without smoothing.)
 */
export function composeOverlay(
  out: Uint32Array,
  width: number,
  height: number,
  sources: readonly OverlaySource[],
  rect: OverlayRect,
  edgeWidth = 1,
) {
  const x0 = Math.max(0, rect.x);
  const y0 = Math.max(0, rect.y);
  const x1 = Math.min(width, rect.x + rect.w);
  const y1 = Math.min(height, rect.y + rect.h);
  if (x1 <= x0 || y1 <= y0) {
    return;
  }
  if (x0 === 0 && x1 === width) {
    out.fill(0, y0 * width, y1 * width);
  } else {
    for (let y = y0; y < y1; y++) {
      out.fill(0, y * width + x0, y * width + x1);
    }
  }
  for (const s of sources) {
    const b = s.bounds;
    if (!b || (s.fill === 0 && s.edge === 0)) {
      continue;
    }
    const sx0 = Math.max(x0, b.x);
    const sy0 = Math.max(y0, b.y);
    const sx1 = Math.min(x1, b.x + b.w);
    const sy1 = Math.min(y1, b.y + b.h);
    if (sx1 <= sx0 || sy1 <= sy0) {
      continue;
    }
    const bm = s.bitmap;
    const fill = s.fill;
    const edge = s.edge;
    if (edge === 0) {
      // fill only: find each row's spans of 1 with native indexOf and fill them natively
      for (let y = sy0; y < sy1; y++) {
        const from = y * width + sx0;
        const seg = bm.subarray(from, y * width + sx1);
        let k = 0;
        while (k < seg.length) {
          const a = seg.indexOf(1, k);
          if (a < 0) {
            break;
          }
          let b = seg.indexOf(0, a);
          if (b < 0) {
            b = seg.length;
          }
          out.fill(fill, from + a, from + b);
          k = b;
        }
      }
      continue;
    }
    const t = Math.max(1, Math.floor(edgeWidth));
    for (let y = sy0; y < sy1; y++) {
      const row = y * width;
      for (let x = sx0; x < sx1; x++) {
        const i = row + x;
        if (!bm[i]) {
          continue;
        }
        let onEdge = x < t || y < t || x >= width - t || y >= height - t;
        for (let k = 1; !onEdge && k <= t; k++) {
          onEdge = !bm[i - k] || !bm[i + k] || !bm[i - k * width] || !bm[i + k * width];
        }
        if (onEdge) {
          out[i] = edge;
        } else if (fill !== 0) {
          out[i] = fill;
        }
      }
    }
  }
}

/**
 * The view transform both canvases share (the editor's <mask-canvas-editor> and the read-only <mask-canvas>):
 * image pixel (x, y) is at view pixel (ox + x · scale, oy + y · scale). Pure functions over a plain value, so the
 * arithmetic of fitting, zooming about a point and converting between image and view is in one place and tested.
 */

export interface View {
  readonly scale: number;
  readonly ox: number;
  readonly oy: number;
}

export interface Point {
  x: number;
  y: number;
}

/** The whole image in a box of boxW × boxH, centred, as large as fits. */
export function fitView(imageW: number, imageH: number, boxW: number, boxH: number): View {
  const w = Math.max(1, imageW);
  const h = Math.max(1, imageH);
  const bw = Math.max(1, boxW);
  const bh = Math.max(1, boxH);
  const scale = Math.min(bw / w, bh / h);
  return { scale, ox: (bw - w * scale) / 2, oy: (bh - h * scale) / 2 };
}

/** The same view at `scale`, keeping the image point under view point (px, py) where it is. */
export function zoomAbout(view: View, px: number, py: number, scale: number): View {
  const ix = (px - view.ox) / view.scale;
  const iy = (py - view.oy) / view.scale;
  return { scale, ox: px - ix * scale, oy: py - iy * scale };
}

/** A scale within [min, max] (min: a quarter of the fit or of 1:1, whichever is smaller; max 64). */
export function clampScale(scale: number, fitScale: number, max = 64): number {
  return Math.min(max, Math.max(Math.min(fitScale, 1) * 0.25, scale));
}

export function imageToView(view: View, x: number, y: number): Point {
  return { x: view.ox + x * view.scale, y: view.oy + y * view.scale };
}

export function viewToImage(view: View, x: number, y: number): Point {
  return { x: (x - view.ox) / view.scale, y: (y - view.oy) / view.scale };
}

import { LitElement, css, html, type PropertyValues } from 'lit';
import { composeOverlay, packColor, type OverlaySource } from './overlay';
import {
  applyRegion,
  colorRegion,
  fillHoles as fillHolesOp,
  fillPolygon,
  growRect,
  intersectRect,
  maskBounds,
  paintLine,
  readRect,
  translateMask,
  unionRect,
  writeRect,
  type Rect,
} from './raster';
import { BrushTool } from './tools/brush-tool';
import { clampScale, fitView, imageToView, viewToImage, zoomAbout, type View } from './viewport';
import { PolygonTool } from './tools/polygon-tool';
import type { Tool, ToolContext, ToolPointer } from './tools/tool';

/** One mask of the item being edited. The bitmap belongs to the owner and is edited here in place. */
export interface CanvasMaskLayer {
  key: string;
  /** index of the phrase, -1 = unlinked */
  phraseIndex: number;
  /** row-major, imageHeight * imageWidth, 1 = mask; shared with the owner, edited in place */
  bitmap: Uint8Array;
  color: [number, number, number];
  visible: boolean;
  /**
   * Optional hint: bounds of the mask pixels ({x, y, w, h}, null = empty), e.g. from rle.ts rleBounds, so the
   * canvas need not scan the bitmap on open. Read only when the canvas first sees the key; layerChanged rescans.
   */
  bounds?: Rect | null;
}

/** One undoable mask change: the pixels of rectangle (x, y, w, h) before and after it (row-major, w * h). */
export interface MaskPatch {
  x: number;
  y: number;
  w: number;
  h: number;
  before: Uint8Array;
  after: Uint8Array;
}

export type MaskTool = 'select' | 'pan' | 'brush' | 'eraser' | 'polygon-add' | 'polygon-subtract' | 'wand' | 'move';

interface PerfRecord {
  openMs: number;
  /** draw time of each frame during a stroke (or a move) */
  frames: number[];
  /** draw time of each frame that redrew the whole view (zoom, pan, resize) */
  viewFrames?: number[];
  /** set true to time frames including the rasterisation of their draws (forced by reading a pixel back) */
  flush?: boolean;
}

declare global {
  interface Window {
    __studioPerf?: PerfRecord;
  }
  interface HTMLElementTagNameMap {
    'mask-canvas-editor': MaskCanvasEditor;
  }
}

const MAX_FRAMES_KEPT = 5000;
/** how much the other masks fade while some are emphasised (hovered, selected, highlighted phrase) */
const DIM = 0.35;
/** how long the view must be still after a wheel zoom or a pan before the canvases are redrawn sharp */
const SETTLE_MS = 120;

interface LayerState {
  key: string;
  bitmap: Uint8Array;
  color: string;
  visible: boolean;
  phraseIndex: number;
}

function layerState(l: CanvasMaskLayer): LayerState {
  return { key: l.key, bitmap: l.bitmap, color: l.color.join(','), visible: l.visible, phraseIndex: l.phraseIndex };
}

function perf(): PerfRecord {
  if (!window.__studioPerf) {
    window.__studioPerf = { openMs: -1, frames: [] };
  }
  return window.__studioPerf;
}

/**
 * <mask-canvas-editor>: the photo of an item with its masks as coloured overlays, and the tools that edit them.
 *
 * Three stacked canvases (device-pixel backing stores): the photo (redrawn only when the view changes), the masks
 * and the tool feedback (brush cursor, polygon in progress). The masks are composed into one image-sized RGBA
 * overlay, each layer only over its bounds; a brush stroke changes the bitmap in place and recomposes and redraws
 * only the dirty rectangle, once per animation frame.
 *
 * Events (bubbling, composed): `mask-edit` {key, patch} once per stroke / polygon / wand click (one undo step);
 * `mask-click` {key | null}; `mask-hover` {key | null}; `view-change` {zoom} (device pixels per image pixel,
 * 1 = 1:1); `need-layer` {tool} when a drawing tool is used with no layer selected: a listener that synchronously
 * creates a layer (new `layers` array) and sets `selectedKey` lets the stroke go on; otherwise it is dropped.
 */
export class MaskCanvasEditor extends LitElement {
  static properties = {
    imageUrl: { type: String, attribute: 'image-url' },
    imageWidth: { type: Number, attribute: 'image-width' },
    imageHeight: { type: Number, attribute: 'image-height' },
    layers: { attribute: false },
    compareLayers: { attribute: false },
    compare: { type: Boolean },
    selectedKey: { attribute: false },
    highlightedPhrase: { type: Number, attribute: 'highlighted-phrase' },
    tool: { type: String },
    brushSize: { type: Number, attribute: 'brush-size' },
    wandTolerance: { type: Number, attribute: 'wand-tolerance' },
    opacity: { type: Number },
    outline: { type: Boolean },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  static styles = css`
    :host {
      display: block;
      position: relative;
      overflow: hidden;
      background: var(--lumo-contrast-5pct, #eee);
      min-height: 200px;
      user-select: none;
    }
    canvas {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
    }
    canvas.photo,
    canvas.masks {
      pointer-events: none;
    }
    canvas.tools {
      touch-action: none;
      cursor: crosshair;
    }
    canvas.tools.pan {
      cursor: grab;
    }
    canvas.tools.select {
      cursor: default;
    }
    canvas.tools.move {
      cursor: move;
    }
  `;

  declare imageUrl: string;
  declare imageWidth: number;
  declare imageHeight: number;
  declare layers: CanvasMaskLayer[];
  declare compareLayers: CanvasMaskLayer[];
  declare compare: boolean;
  declare selectedKey: string | null;
  declare highlightedPhrase: number;
  declare tool: MaskTool;
  declare brushSize: number;
  declare wandTolerance: number;
  declare opacity: number;
  declare outline: boolean;
  declare readOnly: boolean;

  private image: HTMLImageElement | null = null;
  /** the photo decoded once (drawing it is cheaper than drawing the <img>), when the browser can make one */
  private photo: ImageBitmap | null = null;
  private imageReady = false;
  private imagePixels: ImageData | null = null;
  private resizeObserver: ResizeObserver | null = null;

  /** image → CSS pixels: scale and offset; autoFit keeps fitting on resize until the user zooms or pans */
  private scale = 1;
  private ox = 0;
  private oy = 0;
  private autoFit = true;

  /** bounds of the layers' mask pixels, conservative (edits only grow them) */
  private bounds = new Map<string, Rect | null>();
  private compareBounds = new Map<string, Rect | null>();
  /** the bitmap each key's bounds were taken from */
  private boundsOf = new Map<string, Uint8Array>();
  private compareBoundsOf = new Map<string, Uint8Array>();
  /** what the layers looked like when last drawn, to redraw only what changed when a new array arrives */
  private seen: LayerState[] = [];
  private base: { data: ImageData; px: Uint32Array; canvas: HTMLCanvasElement } | null = null;
  private hi: { data: ImageData; px: Uint32Array; canvas: HTMLCanvasElement } | null = null;
  private cmp: { data: ImageData; px: Uint32Array; canvas: HTMLCanvasElement } | null = null;
  private hiRect: Rect | null = null;
  /** outline width in image pixels: wide enough to survive drawing the overlay shrunk without smoothing */
  private edgeWidth = 1;
  /** the view the photo and mask canvases were last drawn in (a CSS transform shows them in the current one) */
  private drawnView: { scale: number; ox: number; oy: number } | null = null;
  private settleTimer = 0;
  private hoveredKey: string | null = null;

  private needCompose = true;
  private needHi = true;
  private needCompare = true;
  private needPhoto = true;
  private needMasks = true;
  private needTools = true;
  private dirty: Rect | null = null;
  private frame = 0;
  private openStart = -1;

  private pointer: { x: number; y: number; inside: boolean } = { x: 0, y: 0, inside: false };
  private spaceHeld = false;
  private pan: { x: number; y: number; moved: boolean; click: boolean } | null = null;
  /** the tools that run as state machines over a DOM-free context (editor/tools); wand, move, select here */
  private readonly tools: Partial<Record<MaskTool, Tool>> = {
    brush: new BrushTool(1),
    eraser: new BrushTool(0),
    'polygon-add': new PolygonTool(false),
    'polygon-subtract': new PolygonTool(true),
  };
  private readonly toolContext: ToolContext = this.makeToolContext();
  /** dragging the selected mask with the move tool: where it started, its tight bounds then, where it is now */
  private moving: {
    key: string;
    snapshot: Uint8Array;
    from: Rect;
    startX: number;
    startY: number;
    at: Rect | null;
    dx: number;
    dy: number;
  } | null = null;

  constructor() {
    super();
    this.imageUrl = '';
    this.imageWidth = 0;
    this.imageHeight = 0;
    this.layers = [];
    this.compareLayers = [];
    this.compare = false;
    this.selectedKey = null;
    this.highlightedPhrase = -1;
    this.tool = 'select';
    this.brushSize = 12;
    this.wandTolerance = 24;
    this.opacity = 0.5;
    this.outline = false;
    this.readOnly = false;
  }

  render() {
    return html`<canvas class="photo"></canvas><canvas class="masks"></canvas><canvas
        class="tools ${this.toolCursorClass()}"
        @wheel=${this.onWheel}
        @pointerdown=${this.onPointerDown}
        @pointermove=${this.onPointerMove}
        @pointerup=${this.onPointerUp}
        @pointercancel=${this.onPointerUp}
        @pointerenter=${this.onPointerEnter}
        @pointerleave=${this.onPointerLeave}
        @dblclick=${this.onDoubleClick}
        @contextmenu=${(e: Event) => e.preventDefault()}
      ></canvas>`;
  }

  // ---------------------------------------------------------------- public methods

  /** Fits the whole image into the element. */
  fit() {
    const [w, h] = this.imageSize();
    this.setView(fitView(w, h, this.clientWidth || 1, this.clientHeight || 1));
    this.autoFit = true;
    this.viewChanged();
  }

  /** One image pixel per device pixel, centred on the middle of the element. */
  oneToOne() {
    const dpr = window.devicePixelRatio || 1;
    this.zoomAt(this.clientWidth / 2, this.clientHeight / 2, 1 / dpr);
  }

  /** The owner changed a layer (bitmap pixels, colour, visibility): redraw it. */
  layerChanged(key: string) {
    const layer = this.layer(key);
    const old = this.bounds.get(key) ?? null;
    if (!layer) {
      this.bounds.delete(key);
      this.invalidate(old);
      return;
    }
    const now = maskBounds(layer.bitmap, ...this.imageSize());
    this.bounds.set(key, now);
    this.boundsOf.set(key, layer.bitmap);
    this.invalidate(unionRect(old, now));
  }

  /** Writes one side of a patch into a layer (undo: 'before', redo: 'after') and redraws it. */
  applyPatch(key: string, patch: MaskPatch, which: 'before' | 'after') {
    const layer = this.layer(key);
    if (!layer || patch.w <= 0 || patch.h <= 0) {
      return;
    }
    const [w] = this.imageSize();
    writeRect(layer.bitmap, w, patch, which === 'before' ? patch.before : patch.after);
    this.growBounds(key, patch);
    this.invalidate(patch);
  }

  /** Fills the holes of a layer's mask (background not connected to the image border); null when there are none. */
  fillHoles(key: string): MaskPatch | null {
    const layer = this.layer(key);
    if (!layer) {
      return null;
    }
    const [w, h] = this.imageSize();
    const b = maskBounds(layer.bitmap, w, h);
    const r = b && growRect(b, 1, w, h);
    if (!r) {
      return null;
    }
    const before = readRect(layer.bitmap, w, r);
    if (!fillHolesOp(layer.bitmap, w, h, b)) {
      return null;
    }
    const patch = { ...r, before, after: readRect(layer.bitmap, w, r) };
    this.bounds.set(key, b);
    this.invalidate(r);
    return patch;
  }

  /** Empties a layer's mask; the patch covers its former bounds (0 × 0 when it was empty already). */
  clear(key: string): MaskPatch {
    const layer = this.layer(key);
    const [w, h] = this.imageSize();
    const b = layer ? maskBounds(layer.bitmap, w, h) : null;
    if (!layer || !b) {
      return { x: 0, y: 0, w: 0, h: 0, before: new Uint8Array(0), after: new Uint8Array(0) };
    }
    const before = readRect(layer.bitmap, w, b);
    const after = new Uint8Array(b.w * b.h);
    writeRect(layer.bitmap, w, b, after);
    this.bounds.set(key, null);
    this.invalidate(b);
    return { ...b, before, after };
  }

  /** Moves a layer's mask by whole pixels (what leaves the image is lost); null when empty or not moved. */
  moveMask(key: string, dx: number, dy: number): MaskPatch | null {
    const layer = this.layer(key);
    const [w, h] = this.imageSize();
    const b = layer ? maskBounds(layer.bitmap, w, h) : null;
    if (!layer || !b || (Math.round(dx) === 0 && Math.round(dy) === 0)) {
      return null;
    }
    const r = unionRect(b, intersectRect({ x: b.x + Math.round(dx), y: b.y + Math.round(dy), w: b.w, h: b.h }, { x: 0, y: 0, w, h }))!;
    const before = readRect(layer.bitmap, w, r);
    translateMask(layer.bitmap, w, h, dx, dy);
    this.bounds.set(key, maskBounds(layer.bitmap, w, h));
    this.invalidate(r);
    return { ...r, before, after: readRect(layer.bitmap, w, r) };
  }

  /** Where image point (x, y) is, in CSS pixels relative to the element (for tests and the owner). */
  imageToClient(x: number, y: number): { x: number; y: number } {
    return imageToView(this.view(), x, y);
  }

  /** The view transform (editor/viewport.ts, shared with the read-only <mask-canvas>). */
  private view(): View {
    return { scale: this.scale, ox: this.ox, oy: this.oy };
  }

  private setView(v: View) {
    this.scale = v.scale;
    this.ox = v.ox;
    this.oy = v.oy;
  }

  /** The image point under a client (viewport) position. */
  clientToImage(clientX: number, clientY: number): { x: number; y: number } {
    const rect = this.getBoundingClientRect();
    return viewToImage(this.view(), clientX - rect.left, clientY - rect.top);
  }

  /** Device pixels per image pixel (1 = 1:1). */
  get zoom(): number {
    return this.scale * (window.devicePixelRatio || 1);
  }

  // ---------------------------------------------------------------- lifecycle

  connectedCallback() {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver(() => {
      if (this.autoFit) {
        this.fit();
      }
      this.needPhoto = this.needMasks = this.needTools = true;
      this.schedule();
    });
    this.resizeObserver.observe(this);
    window.addEventListener('keydown', this.onKeyDown);
    window.addEventListener('keyup', this.onKeyUp);
    window.addEventListener('blur', this.onBlur);
  }

  disconnectedCallback() {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    window.removeEventListener('keydown', this.onKeyDown);
    window.removeEventListener('keyup', this.onKeyUp);
    window.removeEventListener('blur', this.onBlur);
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    clearTimeout(this.settleTimer);
    this.settleTimer = 0;
    super.disconnectedCallback();
  }

  protected willUpdate(changed: PropertyValues) {
    if (changed.has('imageUrl')) {
      this.loadImage();
    }
    if (changed.has('imageWidth') || changed.has('imageHeight')) {
      this.base = this.hi = this.cmp = null;
      this.imagePixels = null;
      this.bounds.clear();
      this.compareBounds.clear();
      this.needCompose = this.needHi = this.needCompare = true;
      if (this.autoFit) {
        this.fit();
      }
    }
    if (changed.has('layers') || changed.has('imageUrl')) {
      const oldBounds = new Map(this.bounds);
      this.syncBounds(this.layers ?? [], this.bounds, this.boundsOf);
      const diff = changed.has('imageUrl') || this.needCompose ? 'all' : this.layersDiff(oldBounds);
      if (diff === 'all') {
        // a new item (or a different set of masks): time it as an open
        this.openStart = performance.now();
        performance.mark('mask-canvas-editor:open-start');
        this.needCompose = true;
      } else {
        this.invalidate(diff);
      }
      this.needHi = true;
      this.seen = (this.layers ?? []).map(layerState);
    }
    if (changed.has('compareLayers')) {
      this.syncBounds(this.compareLayers ?? [], this.compareBounds, this.compareBoundsOf);
      this.needCompare = true;
    }
    if (changed.has('opacity') || changed.has('outline')) {
      this.needCompose = this.needHi = true;
    }
    if (changed.has('selectedKey') || changed.has('highlightedPhrase')) {
      this.needHi = true;
    }
    if (changed.has('compare')) {
      this.needCompare = true;
    }
    if (changed.has('tool') || changed.has('brushSize')) {
      const previous = changed.get('tool') as MaskTool | undefined;
      if (changed.has('tool') && previous) {
        this.tools[previous]?.cancel(this.toolContext);
      }
      this.needTools = true;
    }
    this.needMasks = true;
    this.schedule();
  }

  private toolCursorClass(): string {
    if (this.tool === 'pan' || this.spaceHeld) {
      return 'pan';
    }
    if (this.tool === 'move') {
      return 'move';
    }
    return this.tool === 'select' ? 'select' : '';
  }

  private loadImage() {
    this.imageReady = false;
    this.image = null;
    this.imagePixels = null;
    this.photo?.close();
    this.photo = null;
    this.autoFit = true;
    if (!this.imageUrl) {
      return;
    }
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => {
      if (this.image !== img) {
        return;
      }
      this.imageReady = true;
      if (typeof createImageBitmap === 'function') {
        createImageBitmap(img)
          .then((bitmap) => {
            if (this.image === img) {
              this.photo = bitmap;
              this.needPhoto = true;
              this.schedule();
            } else {
              bitmap.close();
            }
          })
          .catch(() => undefined);
      }
      if (!this.imageWidth || !this.imageHeight) {
        this.requestUpdate('imageWidth', 0);
      }
      if (this.autoFit) {
        this.fit();
      }
      this.needPhoto = true;
      this.schedule();
      this.dispatchEvent(new CustomEvent('image-loaded'));
    };
    img.src = this.imageUrl;
    this.image = img;
  }

  private imageSize(): [number, number] {
    const w = this.imageWidth || this.image?.naturalWidth || 1;
    const h = this.imageHeight || this.image?.naturalHeight || 1;
    return [w, h];
  }

  private layer(key: string | null): CanvasMaskLayer | undefined {
    return key == null ? undefined : (this.layers ?? []).find((l) => l.key === key);
  }

  /**
   * What changed between the layers drawn so far (`seen`) and the current ones: the rectangle covering the masks
   * that were added, removed or changed (colour, visibility, phrase, bitmap array), or 'all' when the order of
   * the layers changed or most of them differ.
   */
  private layersDiff(oldBounds: Map<string, Rect | null>): Rect | null | 'all' {
    const now = this.layers ?? [];
    const before = new Map(this.seen.map((s, i) => [s.key, { s, i }]));
    let dirty: Rect | null = null;
    let changedCount = 0;
    let lastIndex = -1;
    for (const l of now) {
      const old = before.get(l.key);
      const state = layerState(l);
      if (!old) {
        dirty = unionRect(dirty, this.bounds.get(l.key) ?? null);
        changedCount++;
        continue;
      }
      if (old.i < lastIndex) {
        return 'all';
      }
      lastIndex = old.i;
      before.delete(l.key);
      if (old.s.bitmap !== state.bitmap || old.s.color !== state.color || old.s.visible !== state.visible
        || old.s.phraseIndex !== state.phraseIndex) {
        dirty = unionRect(dirty, unionRect(oldBounds.get(l.key) ?? null, this.bounds.get(l.key) ?? null));
        changedCount++;
      }
    }
    for (const [key] of before) {
      dirty = unionRect(dirty, oldBounds.get(key) ?? null);
      changedCount++;
    }
    return changedCount > Math.max(4, now.length / 2) ? 'all' : dirty;
  }

  /** Bounds for each layer: kept for a key whose bitmap is the same array as before, else the hint or a scan. */
  private syncBounds(layers: CanvasMaskLayer[], into: Map<string, Rect | null>, of: Map<string, Uint8Array>) {
    const [w, h] = this.imageSize();
    const keep = new Map<string, Rect | null>();
    for (const l of layers) {
      if (into.has(l.key) && of.get(l.key) === l.bitmap) {
        keep.set(l.key, into.get(l.key)!);
      } else if (l.bounds !== undefined) {
        keep.set(l.key, l.bounds);
      } else {
        keep.set(l.key, l.bitmap.length === w * h ? maskBounds(l.bitmap, w, h) : null);
      }
    }
    into.clear();
    for (const [k, v] of keep) {
      into.set(k, v);
    }
    of.clear();
    for (const l of layers) {
      of.set(l.key, l.bitmap);
    }
  }

  private growBounds(key: string, r: Rect) {
    this.bounds.set(key, unionRect(this.bounds.get(key) ?? null, { x: r.x, y: r.y, w: r.w, h: r.h }));
  }

  /** Something changed inside r (image pixels): recompose and redraw just that, on the next frame. */
  private invalidate(r: Rect | null) {
    if (!r) {
      return;
    }
    const [w, h] = this.imageSize();
    const g = growRect(r, this.edgeWidth, w, h);
    this.dirty = unionRect(this.dirty, g);
    this.schedule();
  }

  /**
   * The view moved. While the user is zooming or panning (interactive), the photo and mask canvases are only moved
   * and scaled with a CSS transform (the compositor's work, no redraw) and redrawn sharp once the view has been
   * still for a moment; anything else redraws them at once.
   */
  private viewChanged(interactive = false) {
    if (interactive && this.drawnView) {
      const d = this.drawnView;
      const k = this.scale / d.scale;
      const transform = `translate(${this.ox - k * d.ox}px, ${this.oy - k * d.oy}px) scale(${k})`;
      for (const c of this.canvases().slice(0, 2)) {
        c.style.transformOrigin = '0 0';
        c.style.transform = transform;
      }
      clearTimeout(this.settleTimer);
      this.settleTimer = window.setTimeout(() => this.settleView(), SETTLE_MS);
      this.needTools = true;
      this.schedule();
    } else {
      this.settleView();
    }
    this.dispatchEvent(new CustomEvent('view-change', { detail: { zoom: this.zoom }, bubbles: true, composed: true }));
  }

  private settleView() {
    clearTimeout(this.settleTimer);
    this.settleTimer = 0;
    this.needPhoto = this.needMasks = this.needTools = true;
    this.schedule();
  }

  private schedule() {
    if (!this.frame) {
      this.frame = requestAnimationFrame(this.onFrame);
    }
  }

  // ---------------------------------------------------------------- composing and drawing

  private emphasised(l: CanvasMaskLayer): boolean {
    return (
      l.key === this.selectedKey ||
      l.key === this.hoveredKey ||
      (this.highlightedPhrase >= 0 && l.phraseIndex === this.highlightedPhrase)
    );
  }

  private baseSources(): OverlaySource[] {
    const a = Math.round(255 * Math.min(1, Math.max(0, this.opacity)));
    return (this.layers ?? [])
      .filter((l) => l.visible)
      .map((l) => ({
        bitmap: l.bitmap,
        bounds: this.bounds.get(l.key) ?? null,
        fill: a > 0 ? packColor(l.color[0], l.color[1], l.color[2], a) : 0,
        edge: this.outline ? packColor(l.color[0], l.color[1], l.color[2], 255) : 0,
      }));
  }

  private hiSources(): OverlaySource[] {
    const a = Math.round(255 * Math.min(1, Math.max(0, this.opacity) + 0.3));
    return (this.layers ?? [])
      .filter((l) => l.visible && this.emphasised(l))
      .map((l) => ({
        bitmap: l.bitmap,
        bounds: this.bounds.get(l.key) ?? null,
        fill: packColor(l.color[0], l.color[1], l.color[2], a),
        edge: packColor(l.color[0], l.color[1], l.color[2], 255),
      }));
  }

  private compareSources(): OverlaySource[] {
    return (this.compareLayers ?? [])
      .filter((l) => l.visible)
      .map((l) => ({
        bitmap: l.bitmap,
        bounds: this.compareBounds.get(l.key) ?? null,
        fill: 0,
        edge: packColor(l.color[0], l.color[1], l.color[2], 255),
      }));
  }

  private buffer(): { data: ImageData; px: Uint32Array; canvas: HTMLCanvasElement } {
    const [w, h] = this.imageSize();
    const data = new ImageData(w, h);
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    return { data, px: new Uint32Array(data.data.buffer), canvas };
  }

  private put(b: { data: ImageData; canvas: HTMLCanvasElement }, r: Rect | null) {
    const ctx = b.canvas.getContext('2d')!;
    if (r) {
      ctx.putImageData(b.data, 0, 0, r.x, r.y, r.w, r.h);
    } else {
      ctx.putImageData(b.data, 0, 0);
    }
  }

  private composeAll() {
    const [w, h] = this.imageSize();
    this.base ??= this.buffer();
    composeOverlay(this.base.px, w, h, this.baseSources(), { x: 0, y: 0, w, h }, this.edgeWidth);
    this.put(this.base, null);
  }

  private composeHi() {
    const [w, h] = this.imageSize();
    const sources = this.hiSources();
    let r: Rect | null = null;
    for (const s of sources) {
      r = unionRect(r, s.bounds);
    }
    r = r && growRect(r, 1, w, h);
    const area = unionRect(this.hiRect, r);
    this.hiRect = r;
    if (!area) {
      return;
    }
    this.hi ??= this.buffer();
    composeOverlay(this.hi.px, w, h, sources, area, this.edgeWidth);
    this.put(this.hi, area);
  }

  private composeCompare() {
    const [w, h] = this.imageSize();
    if (!this.compare) {
      return;
    }
    this.cmp ??= this.buffer();
    composeOverlay(this.cmp.px, w, h, this.compareSources(), { x: 0, y: 0, w, h }, this.edgeWidth);
    this.put(this.cmp, null);
  }

  private composeDirty(r: Rect) {
    const [w, h] = this.imageSize();
    if (this.base) {
      composeOverlay(this.base.px, w, h, this.baseSources(), r, this.edgeWidth);
      this.put(this.base, r);
    }
    const sources = this.hiSources();
    if (!this.hiRect && sources.length === 0) {
      return;
    }
    let grown: Rect | null = null;
    for (const s of sources) {
      grown = unionRect(grown, s.bounds);
    }
    grown = grown && growRect(grown, 1, w, h);
    // hiRect only grows while something is emphasised; composeHi tightens it again
    const area = intersectRect(r, unionRect(this.hiRect, grown));
    this.hiRect = unionRect(this.hiRect, grown);
    if (area) {
      this.hi ??= this.buffer();
      composeOverlay(this.hi.px, w, h, sources, area, this.edgeWidth);
      this.put(this.hi, area);
    }
  }

  private onFrame = () => {
    this.frame = 0;
    const t0 = performance.now();
    const stroking = (this.activeTool()?.busy ?? false) || this.moving !== null;
    this.resizeCanvases();
    const d = this.drawnView;
    const moved = !d || d.scale !== this.scale || d.ox !== this.ox || d.oy !== this.oy;
    if (moved && (this.needMasks || this.dirty || this.needCompose || this.needHi || this.needCompare)) {
      // photo and masks must be drawn in the same view
      this.needPhoto = true;
    }
    if (this.needPhoto) {
      this.needMasks = true;
      const edgeWidth = Math.min(8, Math.max(1, Math.ceil(1 / this.zoom - 1e-6)));
      if (edgeWidth !== this.edgeWidth) {
        this.edgeWidth = edgeWidth;
        this.needCompose = this.needHi = this.needCompare = true;
      }
    }
    const viewFrame = this.needPhoto;
    let full = false;
    if (this.needCompose) {
      this.composeAll();
      this.needCompose = false;
      this.needHi = true;
      this.needMasks = true;
      this.dirty = null;
      full = true;
    }
    if (this.needHi) {
      this.composeHi();
      this.needHi = false;
      this.needMasks = true;
    }
    if (this.needCompare) {
      this.composeCompare();
      this.needCompare = false;
      this.needMasks = true;
    }
    if (this.needPhoto) {
      this.drawPhoto();
      this.needPhoto = false;
      this.drawnView = { scale: this.scale, ox: this.ox, oy: this.oy };
      clearTimeout(this.settleTimer);
      this.settleTimer = 0;
      for (const c of this.canvases().slice(0, 2)) {
        c.style.transform = '';
      }
    }
    const dirty = this.dirty;
    this.dirty = null;
    if (dirty) {
      this.composeDirty(dirty);
    }
    if (this.needMasks) {
      this.drawMasks(null);
      this.needMasks = false;
    } else if (dirty) {
      this.drawMasks(dirty);
    }
    if (this.needTools) {
      this.drawTools();
      this.needTools = false;
    }
    if ((stroking || viewFrame || full) && perf().flush) {
      // Canvas 2D records draws and rasterises them later: reading one pixel back makes the timing include that
      for (const c of this.canvases()) {
        c.getContext('2d')?.getImageData(0, 0, 1, 1);
      }
    }
    const t1 = performance.now();
    if (full && this.openStart >= 0 && this.base) {
      performance.mark('mask-canvas-editor:open-end');
      perf().openMs = t1 - this.openStart;
      this.openStart = -1;
      this.dispatchEvent(new CustomEvent('masks-drawn', { detail: { ms: perf().openMs } }));
    }
    if (stroking || viewFrame) {
      const record = perf();
      const frames = stroking ? record.frames : (record.viewFrames ??= []);
      frames.push(t1 - t0);
      if (frames.length > MAX_FRAMES_KEPT) {
        frames.splice(0, frames.length - MAX_FRAMES_KEPT);
      }
    }
  };

  private canvases(): HTMLCanvasElement[] {
    return Array.from(this.renderRoot?.querySelectorAll('canvas') ?? []);
  }

  private resizeCanvases() {
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.max(1, Math.round(this.clientWidth * dpr));
    const ch = Math.max(1, Math.round(this.clientHeight * dpr));
    for (const c of this.canvases()) {
      if (c.width !== cw || c.height !== ch) {
        c.width = cw;
        c.height = ch;
        this.needPhoto = this.needMasks = this.needTools = true;
      }
    }
  }

  private viewTransform(ctx: CanvasRenderingContext2D) {
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(this.scale * dpr, 0, 0, this.scale * dpr, this.ox * dpr, this.oy * dpr);
  }

  private drawPhoto() {
    const canvas = this.canvases()[0];
    const ctx = canvas?.getContext('2d');
    if (!ctx) {
      return;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!this.image || !this.imageReady) {
      return;
    }
    this.viewTransform(ctx);
    // smooth when shrinking, sharp pixels from 1:1 on
    ctx.imageSmoothingEnabled = this.zoom < 1;
    ctx.imageSmoothingQuality = ((window as unknown as { __q?: ImageSmoothingQuality }).__q ?? 'medium');
    const [w, h] = this.imageSize();
    ctx.drawImage(this.photo ?? this.image, 0, 0, w, h);
  }

  /** Draws the overlays, all of them or only image rectangle r. */
  private drawMasks(r: Rect | null) {
    const canvas = this.canvases()[1];
    const ctx = canvas?.getContext('2d');
    if (!ctx || !this.base) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    const [w, h] = this.imageSize();
    let src: Rect = { x: 0, y: 0, w, h };
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (r) {
      // clip to the device pixels r covers; draw a slightly larger source so every clipped pixel is repainted
      const x0 = Math.floor((this.ox + r.x * this.scale) * dpr) - 1;
      const y0 = Math.floor((this.oy + r.y * this.scale) * dpr) - 1;
      const x1 = Math.ceil((this.ox + (r.x + r.w) * this.scale) * dpr) + 1;
      const y1 = Math.ceil((this.oy + (r.y + r.h) * this.scale) * dpr) + 1;
      ctx.beginPath();
      ctx.rect(x0, y0, x1 - x0, y1 - y0);
      ctx.clip();
      ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
      const grow = Math.ceil(2 / Math.min(1, this.zoom));
      src = growRect(r, grow, w, h) ?? r;
    } else {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
    }
    this.viewTransform(ctx);
    ctx.imageSmoothingEnabled = false;
    const emphasis = this.hiRect !== null;
    ctx.globalAlpha = emphasis ? DIM : 1;
    ctx.drawImage(this.base.canvas, src.x, src.y, src.w, src.h, src.x, src.y, src.w, src.h);
    ctx.globalAlpha = 1;
    if (emphasis && this.hi) {
      const s = intersectRect(src, this.hiRect);
      if (s) {
        ctx.drawImage(this.hi.canvas, s.x, s.y, s.w, s.h, s.x, s.y, s.w, s.h);
      }
    }
    if (this.compare && this.cmp) {
      ctx.drawImage(this.cmp.canvas, src.x, src.y, src.w, src.h, src.x, src.y, src.w, src.h);
    }
    ctx.restore();
  }

  private drawTools() {
    const canvas = this.canvases()[2];
    const ctx = canvas?.getContext('2d');
    if (!ctx) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const brushing = this.tool === 'brush' || this.tool === 'eraser';
    if (brushing && this.pointer.inside && !this.spaceHeld && !this.readOnly) {
      const r = Math.max(0.5, this.brushSize / 2) * this.scale;
      ctx.beginPath();
      ctx.arc(this.pointer.x, this.pointer.y, Math.max(1, r), 0, Math.PI * 2);
      ctx.lineWidth = 1;
      ctx.strokeStyle = 'rgba(0,0,0,0.8)';
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(this.pointer.x, this.pointer.y, Math.max(1, r) + 1, 0, Math.PI * 2);
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.stroke();
    }
    const overlay = this.activeTool()?.overlay(this.toolContext) ?? null;
    if (overlay?.kind === 'polygon') {
      const points = overlay.points;
      ctx.beginPath();
      for (let i = 0; i < points.length; i += 2) {
        const p = this.imageToClient(points[i], points[i + 1]);
        if (i === 0) {
          ctx.moveTo(p.x, p.y);
        } else {
          ctx.lineTo(p.x, p.y);
        }
      }
      if (this.pointer.inside) {
        ctx.lineTo(this.pointer.x, this.pointer.y);
      }
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = overlay.subtract ? '#d32f2f' : '#1976d2';
      ctx.setLineDash([5, 3]);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#ffffff';
      for (let i = 0; i < points.length; i += 2) {
        const p = this.imageToClient(points[i], points[i + 1]);
        ctx.fillRect(p.x - 2.5, p.y - 2.5, 5, 5);
        ctx.strokeRect(p.x - 2.5, p.y - 2.5, 5, 5);
      }
    }
  }

  // ---------------------------------------------------------------- input

  private zoomAt(px: number, py: number, newScale: number, interactive = false) {
    const [w, h] = this.imageSize();
    const fitScale = fitView(w, h, this.clientWidth || 1, this.clientHeight || 1).scale;
    this.setView(zoomAbout(this.view(), px, py, clampScale(newScale, fitScale)));
    this.autoFit = false;
    this.viewChanged(interactive);
  }

  private onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const rect = this.getBoundingClientRect();
    const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    this.zoomAt(e.clientX - rect.left, e.clientY - rect.top, this.scale * Math.exp(-dy * 0.0015), true);
  };

  private localPoint(e: PointerEvent | MouseEvent): { x: number; y: number } {
    const rect = this.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  private imagePoint(e: PointerEvent | MouseEvent): { x: number; y: number } {
    return this.clientToImage(e.clientX, e.clientY);
  }

  /** The topmost visible layer with a mask pixel at image point (x, y), or null. */
  layerAt(x: number, y: number): CanvasMaskLayer | null {
    const [w, h] = this.imageSize();
    const px = Math.floor(x);
    const py = Math.floor(y);
    if (px < 0 || py < 0 || px >= w || py >= h) {
      return null;
    }
    const layers = this.layers ?? [];
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i];
      if (l.visible && l.bitmap[py * w + px]) {
        return l;
      }
    }
    return null;
  }

  private emit(name: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  /** The selected layer; asks the owner for one (need-layer) when none is selected. */
  private targetLayer(): CanvasMaskLayer | undefined {
    let layer = this.layer(this.selectedKey);
    if (!layer) {
      this.emit('need-layer', { tool: this.tool });
      layer = this.layer(this.selectedKey);
      if (layer) {
        // the owner created it synchronously: make sure we know its bounds (the update redraws what changed)
        this.syncBounds(this.layers, this.bounds, this.boundsOf);
      }
    }
    return layer;
  }

  private onPointerEnter = (e: PointerEvent) => {
    this.pointer = { ...this.localPoint(e), inside: true };
    this.needTools = true;
    this.schedule();
  };

  private onPointerLeave = () => {
    this.pointer.inside = false;
    this.setHovered(null);
    this.needTools = true;
    this.schedule();
  };

  private onPointerDown = (e: PointerEvent) => {
    const target = e.target as Element;
    const p = this.localPoint(e);
    const panning = e.button === 1 || this.tool === 'pan' || this.spaceHeld;
    if (panning || (e.button === 0 && this.tool === 'select') || (this.readOnly && e.button === 0)) {
      // select: a click selects, a drag pans
      this.pan = { x: p.x, y: p.y, moved: false, click: !panning && e.button === 0 };
      target.setPointerCapture?.(e.pointerId);
      e.preventDefault();
      return;
    }
    if (e.button !== 0) {
      return;
    }
    const ip = this.imagePoint(e);
    const tool = this.activeTool();
    if (tool) {
      if (tool.pointerDown(this.toolContext, this.toolPointer(e))) {
        performance.mark('mask-canvas-editor:stroke-start');
        target.setPointerCapture?.(e.pointerId);
        e.preventDefault();
      }
    } else if (this.tool === 'wand') {
      this.wand(ip.x, ip.y, e.altKey ? 0 : 1);
    } else if (this.tool === 'move') {
      const layer = this.layer(this.selectedKey);
      const [w, h] = this.imageSize();
      const from = layer ? maskBounds(layer.bitmap, w, h) : null;
      if (layer && from) {
        this.moving = { key: layer.key, snapshot: layer.bitmap.slice(), from, startX: ip.x, startY: ip.y, at: from, dx: 0, dy: 0 };
        target.setPointerCapture?.(e.pointerId);
        e.preventDefault();
      }
    }
  };

  /** The tool of the current tool name, when it is one of the state machines (editor/tools). */
  private activeTool(): Tool | null {
    return this.readOnly ? null : this.tools[this.tool] ?? null;
  }

  private toolPointer(e: PointerEvent | MouseEvent): ToolPointer {
    return { image: this.imagePoint(e), client: this.localPoint(e), button: e.button, altKey: e.altKey };
  }

  /** What the tools may do here: edit the layers in place, redraw, emit one mask-edit per finished edit. */
  private makeToolContext(): ToolContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const view = this;
    return {
      get width() { return view.imageSize()[0]; },
      get height() { return view.imageSize()[1]; },
      get brushSize() { return view.brushSize; },
      target: () => view.targetLayer() ?? null,
      layer: (key) => view.layer(key) ?? null,
      touched: (key, r, grew) => {
        if (grew) {
          view.growBounds(key, r);
        }
        view.invalidate(r);
      },
      edited: (key, r, before) => {
        const layer = view.layer(key);
        if (layer) {
          view.emitEdit(key, r, before, layer.bitmap);
        }
      },
      toClient: (p) => view.imageToClient(p.x, p.y),
      redraw: () => {
        view.needTools = true;
        view.schedule();
      },
    };
  }

  private onPointerMove = (e: PointerEvent) => {
    const p = this.localPoint(e);
    this.pointer = { ...p, inside: true };
    if (this.pan) {
      const dx = p.x - this.pan.x;
      const dy = p.y - this.pan.y;
      if (!this.pan.moved && Math.abs(dx) + Math.abs(dy) < 4) {
        return;
      }
      this.pan.moved = true;
      this.pan.x = p.x;
      this.pan.y = p.y;
      this.ox += dx;
      this.oy += dy;
      this.autoFit = false;
      this.viewChanged(true);
      return;
    }
    if (this.moving) {
      const ip = this.imagePoint(e);
      this.moveTo(Math.round(ip.x - this.moving.startX), Math.round(ip.y - this.moving.startY));
    } else if (this.activeTool()?.busy) {
      this.activeTool()!.pointerMove(this.toolContext, this.toolPointer(e));
    } else if (e.buttons === 0) {
      const ip = this.imagePoint(e);
      this.setHovered(this.layerAt(ip.x, ip.y)?.key ?? null);
    }
    if (this.tool !== 'select' && this.tool !== 'pan') {
      this.needTools = true;
      this.schedule();
    }
  };

  private onPointerUp = (e: PointerEvent) => {
    const pan = this.pan;
    this.pan = null;
    if (pan) {
      if (pan.moved) {
        this.settleView();
      }
      if (!pan.moved && pan.click && e.type === 'pointerup') {
        const ip = this.imagePoint(e);
        const key = this.layerAt(ip.x, ip.y)?.key ?? null;
        this.selectedKey = key;
        this.emit('mask-click', { key });
      }
      return;
    }
    const moving = this.moving;
    this.moving = null;
    if (moving) {
      const layer = this.layer(moving.key);
      const r = unionRect(moving.from, moving.at);
      if (layer && r && (moving.dx !== 0 || moving.dy !== 0)) {
        const [w, h] = this.imageSize();
        this.bounds.set(moving.key, maskBounds(layer.bitmap, w, h));
        this.emitEdit(layer.key, r, readRect(moving.snapshot, w, r), layer.bitmap);
      }
      return;
    }
    const tool = this.activeTool();
    if (tool?.busy) {
      performance.mark('mask-canvas-editor:stroke-end');
      tool.pointerUp(this.toolContext, this.toolPointer(e));
    }
  };

  private emitEdit(key: string, r: Rect, before: Uint8Array, bitmap: Uint8Array) {
    const [w] = this.imageSize();
    const after = readRect(bitmap, w, r);
    let same = before.length === after.length;
    for (let i = 0; same && i < after.length; i++) {
      same = before[i] === after[i];
    }
    if (!same) {
      const patch: MaskPatch = { x: r.x, y: r.y, w: r.w, h: r.h, before, after };
      this.emit('mask-edit', { key, patch });
    }
  }

  /** Places the mask being moved at (dx, dy) from where it was: everything comes from the snapshot, so nothing is
   * lost while it is dragged over the image's edge and back. */
  private moveTo(dx: number, dy: number) {
    const m = this.moving;
    const layer = m && this.layer(m.key);
    if (!m || !layer || (dx === m.dx && dy === m.dy)) {
      return;
    }
    const [w, h] = this.imageSize();
    const bitmap = layer.bitmap;
    // the layer's pixels all lie in `from` (the snapshot) or in `at` (where it was placed last)
    for (const r of [m.from, m.at]) {
      if (r) {
        for (let y = r.y; y < r.y + r.h; y++) {
          bitmap.fill(0, y * w + r.x, y * w + r.x + r.w);
        }
      }
    }
    const at = intersectRect({ x: m.from.x + dx, y: m.from.y + dy, w: m.from.w, h: m.from.h }, { x: 0, y: 0, w, h });
    if (at) {
      for (let y = at.y; y < at.y + at.h; y++) {
        const src = (y - dy) * w - dx;
        for (let x = at.x; x < at.x + at.w; x++) {
          if (m.snapshot[src + x]) {
            bitmap[y * w + x] = 1;
          }
        }
      }
    }
    const changed = unionRect(m.at, at);
    m.at = at;
    m.dx = dx;
    m.dy = dy;
    this.growBounds(m.key, changed ?? m.from);
    this.invalidate(unionRect(changed, m.from));
  }

  private onDoubleClick = () => {
    const tool = this.activeTool();
    if (tool) {
      tool.doubleClick(this.toolContext);
    } else if (this.tool === 'select' || this.tool === 'pan') {
      this.fit();
    }
  };

  /** Runs a raster operation that changes at most `area` of the layer, then redraws and emits one mask-edit. */
  private applyOp(
    layer: CanvasMaskLayer,
    op: (bitmap: Uint8Array, w: number, h: number) => Rect | null,
    area: Rect | null,
  ) {
    if (!area) {
      return;
    }
    const [w, h] = this.imageSize();
    const before = readRect(layer.bitmap, w, area);
    const changed = op(layer.bitmap, w, h);
    if (!changed) {
      return;
    }
    this.growBounds(layer.key, changed);
    this.invalidate(changed);
    this.emitEdit(layer.key, area, before, layer.bitmap);
  }

  private pixels(): ImageData | null {
    if (this.imagePixels) {
      return this.imagePixels;
    }
    if (!this.image || !this.imageReady) {
      return null;
    }
    const [w, h] = this.imageSize();
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(this.image, 0, 0, w, h);
    this.imagePixels = ctx.getImageData(0, 0, w, h);
    return this.imagePixels;
  }

  private wand(x: number, y: number, value: 0 | 1) {
    if (this.readOnly) {
      return;
    }
    const px = this.pixels();
    if (!px) {
      return;
    }
    const [w, h] = this.imageSize();
    const found = colorRegion(px.data, w, h, x, y, this.wandTolerance);
    if (!found) {
      return;
    }
    const layer = this.targetLayer();
    if (!layer) {
      return;
    }
    this.applyOp(
      layer,
      (bitmap) => {
        applyRegion(bitmap, w, found.region, found.bounds, value);
        return found.bounds;
      },
      found.bounds,
    );
  }

  private setHovered(key: string | null) {
    if (key === this.hoveredKey) {
      return;
    }
    this.hoveredKey = key;
    this.needHi = true;
    this.needMasks = true;
    this.schedule();
    this.emit('mask-hover', { key });
  }

  private typing(e: KeyboardEvent): boolean {
    const t = e.composedPath()[0] as HTMLElement | undefined;
    return !!t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
  }

  private onKeyDown = (e: KeyboardEvent) => {
    if (this.typing(e)) {
      return;
    }
    if (e.code === 'Space' && this.pointer.inside) {
      if (!this.spaceHeld) {
        this.spaceHeld = true;
        this.requestUpdate();
      }
      e.preventDefault();
      return;
    }
    if (this.activeTool()?.key(this.toolContext, e.key)) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  private onKeyUp = (e: KeyboardEvent) => {
    if (e.code === 'Space' && this.spaceHeld) {
      this.spaceHeld = false;
      this.requestUpdate();
    }
  };

  private onBlur = () => {
    if (this.spaceHeld) {
      this.spaceHeld = false;
      this.requestUpdate();
    }
  };
}

if (!customElements.get('mask-canvas-editor')) {
  customElements.define('mask-canvas-editor', MaskCanvasEditor);
}

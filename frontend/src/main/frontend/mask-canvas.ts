import { LitElement, css, html, type PropertyValues } from 'lit';
import { decodeRle, rleCountsFromString } from './editor/rle';
import { fitView, imageToView, viewToImage, type View } from './editor/viewport';

/** One instance mask as the server hands it over: COCO compressed RLE plus the phrase it belongs to. */
export interface CanvasMask {
  id: number;
  /** index of the phrase, -1 for a mask that belongs to no phrase */
  phraseIndex: number;
  counts: string;
  height: number;
  width: number;
}

// the codec lives in editor/rle.ts (shared with the mask editor); re-exported for existing users
export { rleCountsFromString, decodeRle };

interface DecodedMask {
  key: string;
  width: number;
  height: number;
  bitmap: Uint8Array;
  /** coloured fill and outline canvases, per colour */
  painted: Map<string, { fill: HTMLCanvasElement; edge: HTMLCanvasElement }>;
}

const PALETTE_FALLBACK = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45'];

function parseColor(color: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color.trim());
  if (m) {
    return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
  }
  return [255, 0, 255];
}

/**
 * <mask-canvas>: a photo with its instance masks drawn over it. The masks arrive as COCO RLE strings and are decoded
 * here, once per mask; each becomes a coloured bitmap that redraws with drawImage. Fits the image into the element,
 * sharp on high-DPI screens; wheel zooms around the pointer, drag pans, double-click resets. A click on a mask pixel
 * fires `mask-click` with `{phraseIndex, maskId}` (the topmost mask at that point).
 */
export class MaskCanvas extends LitElement {
  static properties = {
    src: { type: String },
    imageWidth: { type: Number, attribute: 'image-width' },
    imageHeight: { type: Number, attribute: 'image-height' },
    masks: { attribute: false },
    masksJson: { type: String, attribute: 'masks-json' },
    colors: { attribute: false },
    colorsJson: { type: String, attribute: 'colors-json' },
    unlinkedColor: { type: String, attribute: 'unlinked-color' },
    opacity: { type: Number },
    highlighted: { type: Number },
    outline: { type: Boolean },
  };

  static styles = css`
    :host {
      display: block;
      position: relative;
      overflow: hidden;
      background: var(--lumo-contrast-5pct, #eee);
      min-height: 200px;
    }
    canvas {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      cursor: crosshair;
      touch-action: none;
    }
  `;

  declare src: string;
  declare imageWidth: number;
  declare imageHeight: number;
  declare masks: CanvasMask[];
  declare masksJson: string;
  declare colors: string[];
  declare colorsJson: string;
  declare unlinkedColor: string;
  declare opacity: number;
  declare highlighted: number;
  declare outline: boolean;

  private image: HTMLImageElement | null = null;
  private imageReady = false;
  private decoded = new Map<string, DecodedMask>();
  private resizeObserver: ResizeObserver | null = null;
  /** zoom factor on top of the fit, and pan in CSS pixels */
  private zoom = 1;
  private panX = 0;
  private panY = 0;
  private drag: { x: number; y: number; moved: boolean } | null = null;
  private frame = 0;

  constructor() {
    super();
    this.src = '';
    this.imageWidth = 0;
    this.imageHeight = 0;
    this.masks = [];
    this.masksJson = '';
    this.colors = [];
    this.colorsJson = '';
    this.unlinkedColor = '#bdbdbd';
    this.opacity = 0.5;
    this.highlighted = -1;
    this.outline = false;
  }

  render() {
    return html`<canvas
      @wheel=${this.onWheel}
      @pointerdown=${this.onPointerDown}
      @pointermove=${this.onPointerMove}
      @pointerup=${this.onPointerUp}
      @dblclick=${this.resetView}
    ></canvas>`;
  }

  get canvas(): HTMLCanvasElement | null {
    return this.renderRoot?.querySelector('canvas') ?? null;
  }

  connectedCallback() {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver(() => this.scheduleDraw());
    this.resizeObserver.observe(this);
  }

  disconnectedCallback() {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    super.disconnectedCallback();
  }

  protected willUpdate(changed: PropertyValues) {
    if (changed.has('masksJson') && this.masksJson) {
      this.masks = JSON.parse(this.masksJson) as CanvasMask[];
    }
    if (changed.has('colorsJson') && this.colorsJson) {
      this.colors = JSON.parse(this.colorsJson) as string[];
    }
    if (changed.has('src')) {
      this.loadImage();
    }
  }

  protected updated() {
    this.scheduleDraw();
  }

  private loadImage() {
    this.imageReady = false;
    this.image = null;
    this.resetView();
    if (!this.src) {
      return;
    }
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => {
      if (this.image === img) {
        this.imageReady = true;
        this.scheduleDraw();
        this.dispatchEvent(new CustomEvent('image-loaded'));
      }
    };
    img.src = this.src;
    this.image = img;
  }

  private resetView = () => {
    this.zoom = 1;
    this.panX = 0;
    this.panY = 0;
    this.scheduleDraw();
  };

  private scheduleDraw() {
    if (this.frame) {
      return;
    }
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** The size of the picture in image pixels: the image's own, else the masks'. */
  private imageSize(): [number, number] {
    const w = this.imageWidth || this.image?.naturalWidth || this.masks[0]?.width || 1;
    const h = this.imageHeight || this.image?.naturalHeight || this.masks[0]?.height || 1;
    return [w, h];
  }

  /** Image → CSS pixel transform of the element: scale and offset. */
  private transform(): View {
    const [w, h] = this.imageSize();
    const boxW = this.clientWidth || 1;
    const boxH = this.clientHeight || 1;
    const scale = fitView(w, h, boxW, boxH).scale * this.zoom;
    const ox = (boxW - w * scale) / 2 + this.panX;
    const oy = (boxH - h * scale) / 2 + this.panY;
    return { scale, ox, oy };
  }

  /** Where image pixel (x, y) (its centre) lands on the canvas, in canvas (device) pixels. For tests. */
  imageToCanvas(x: number, y: number): { x: number; y: number } {
    const t = this.transform();
    const dpr = window.devicePixelRatio || 1;
    return { x: Math.floor((t.ox + (x + 0.5) * t.scale) * dpr), y: Math.floor((t.oy + (y + 0.5) * t.scale) * dpr) };
  }

  /** The number of foreground pixels of each mask, in `masks` order, as decoded here (-1: undecodable). */
  maskAreas(): number[] {
    return this.masks.map((m) => {
      const d = this.decodedMask(m);
      return d ? d.bitmap.reduce((sum, v) => sum + v, 0) : -1;
    });
  }

  private decodedMask(mask: CanvasMask): DecodedMask | null {
    const key = `${mask.id}:${mask.width}x${mask.height}:${mask.counts}`;
    let d = this.decoded.get(key);
    if (!d) {
      try {
        d = {
          key,
          width: mask.width,
          height: mask.height,
          bitmap: decodeRle(mask.counts, mask.height, mask.width),
          painted: new Map(),
        };
      } catch (e) {
        console.warn('mask-canvas: cannot decode mask', mask.id, e);
        return null;
      }
      this.decoded.set(key, d);
    }
    return d;
  }

  private painted(d: DecodedMask, color: string) {
    let p = d.painted.get(color);
    if (p) {
      return p;
    }
    const [r, g, b] = parseColor(color);
    const { width: w, height: h, bitmap } = d;
    const fill = new ImageData(w, h);
    const edge = new ImageData(w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (!bitmap[i]) {
          continue;
        }
        const o = i * 4;
        fill.data[o] = r;
        fill.data[o + 1] = g;
        fill.data[o + 2] = b;
        fill.data[o + 3] = 255;
        const border =
          x === 0 || y === 0 || x === w - 1 || y === h - 1 ||
          !bitmap[i - 1] || !bitmap[i + 1] || !bitmap[i - w] || !bitmap[i + w];
        if (border) {
          edge.data[o] = r;
          edge.data[o + 1] = g;
          edge.data[o + 2] = b;
          edge.data[o + 3] = 255;
        }
      }
    }
    p = { fill: toCanvas(fill), edge: toCanvas(edge) };
    d.painted.set(color, p);
    return p;
  }

  private colorOf(mask: CanvasMask): string {
    if (mask.phraseIndex < 0) {
      return this.unlinkedColor;
    }
    return this.colors[mask.phraseIndex] ?? PALETTE_FALLBACK[mask.phraseIndex % PALETTE_FALLBACK.length];
  }

  private draw() {
    const canvas = this.canvas;
    if (!canvas) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.max(1, Math.round(this.clientWidth * dpr));
    const ch = Math.max(1, Math.round(this.clientHeight * dpr));
    if (canvas.width !== cw || canvas.height !== ch) {
      canvas.width = cw;
      canvas.height = ch;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      return;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, cw, ch);
    const t = this.transform();
    ctx.setTransform(t.scale * dpr, 0, 0, t.scale * dpr, t.ox * dpr, t.oy * dpr);
    const [w, h] = this.imageSize();
    if (this.image && this.imageReady) {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.image, 0, 0, w, h);
    }
    // mask pixels stay square when zoomed in
    ctx.imageSmoothingEnabled = false;
    const highlighted = this.highlighted ?? -1;
    const base = Math.min(1, Math.max(0, this.opacity ?? 0.5));
    for (const mask of this.masks) {
      const d = this.decodedMask(mask);
      if (!d) {
        continue;
      }
      const p = this.painted(d, this.colorOf(mask));
      let alpha = base;
      if (highlighted >= 0) {
        alpha = mask.phraseIndex === highlighted ? Math.min(1, base + 0.35) : base * 0.3;
      }
      ctx.globalAlpha = alpha;
      ctx.drawImage(p.fill, 0, 0, w, h);
      if (this.outline || (highlighted >= 0 && mask.phraseIndex === highlighted)) {
        ctx.globalAlpha = highlighted >= 0 && mask.phraseIndex !== highlighted ? 0.4 : 1;
        ctx.drawImage(p.edge, 0, 0, w, h);
      }
    }
    ctx.globalAlpha = 1;
  }

  /** The topmost mask under a pointer position, or null. */
  private maskAt(clientX: number, clientY: number): CanvasMask | null {
    const rect = this.getBoundingClientRect();
    const t = this.transform();
    const [w, h] = this.imageSize();
    const { x: ix, y: iy } = viewToImage(t, clientX - rect.left, clientY - rect.top);
    for (let m = this.masks.length - 1; m >= 0; m--) {
      const mask = this.masks[m];
      const d = this.decodedMask(mask);
      if (!d) {
        continue;
      }
      // masks have the image's size; scale anyway should they not
      const x = Math.floor((ix * d.width) / w);
      const y = Math.floor((iy * d.height) / h);
      if (x >= 0 && y >= 0 && x < d.width && y < d.height && d.bitmap[y * d.width + x]) {
        return mask;
      }
    }
    return null;
  }

  private onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const rect = this.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const before = this.transform();
    const factor = Math.exp(-e.deltaY * 0.0015);
    this.zoom = Math.min(40, Math.max(0.2, this.zoom * factor));
    const after = this.transform();
    // keep the image point under the pointer where it was
    const under = viewToImage(before, px, py);
    const now = imageToView(after, under.x, under.y);
    this.panX += px - now.x;
    this.panY += py - now.y;
    this.scheduleDraw();
  };

  private onPointerDown = (e: PointerEvent) => {
    this.drag = { x: e.clientX, y: e.clientY, moved: false };
    (e.target as Element).setPointerCapture?.(e.pointerId);
  };

  private onPointerMove = (e: PointerEvent) => {
    if (!this.drag) {
      return;
    }
    const dx = e.clientX - this.drag.x;
    const dy = e.clientY - this.drag.y;
    if (!this.drag.moved && Math.abs(dx) + Math.abs(dy) < 4) {
      return;
    }
    this.drag.moved = true;
    this.panX += dx;
    this.panY += dy;
    this.drag.x = e.clientX;
    this.drag.y = e.clientY;
    this.scheduleDraw();
  };

  private onPointerUp = (e: PointerEvent) => {
    const drag = this.drag;
    this.drag = null;
    if (!drag || drag.moved) {
      return;
    }
    const mask = this.maskAt(e.clientX, e.clientY);
    if (mask) {
      this.dispatchEvent(
        new CustomEvent('mask-click', {
          detail: { phraseIndex: mask.phraseIndex, maskId: mask.id },
          bubbles: true,
          composed: true,
        }),
      );
    }
  };
}

function toCanvas(data: ImageData): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = data.width;
  c.height = data.height;
  c.getContext('2d')!.putImageData(data, 0, 0);
  return c;
}

if (!customElements.get('mask-canvas')) {
  customElements.define('mask-canvas', MaskCanvas);
}

declare global {
  interface HTMLElementTagNameMap {
    'mask-canvas': MaskCanvas;
  }
}

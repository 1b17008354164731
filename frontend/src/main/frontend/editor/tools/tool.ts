/**
 * The canvas's tools as small state machines over a DOM-free context (issue 14 §4, after tldraw's tools): a tool
 * gets pointer down / move / up, double clicks and keys in image coordinates, edits bitmaps through the context,
 * and says what it wants drawn on top (its overlay) and which cursor it shows. Nothing here touches the DOM, so each
 * tool is unit-tested on plain bitmaps.
 */
import type { Rect } from '../raster';

export interface Point {
  x: number;
  y: number;
}

/** A pointer event as a tool sees it: where in the image and on the screen, which button, Alt held. */
export interface ToolPointer {
  image: Point;
  client: Point;
  button: number;
  altKey: boolean;
}

/** A mask a tool edits: its key and its bitmap (width × height of the context), edited in place. */
export interface ToolLayer {
  readonly key: string;
  readonly bitmap: Uint8Array;
}

/** What a tool may do and know. The canvas implements it; tests implement it over plain arrays. */
export interface ToolContext {
  readonly width: number;
  readonly height: number;
  readonly brushSize: number;
  /** the layer to edit: the selected one, or one the owner creates now; null when there is none */
  target(): ToolLayer | null;
  /** a layer by key (null once it is gone) */
  layer(key: string): ToolLayer | null;
  /** the tool changed pixels of the layer within `r` (`grew`: it set some): redraw them */
  touched(key: string, r: Rect, grew: boolean): void;
  /** one finished edit of the layer: `before` holds the pixels of `r` as they were (the undo step) */
  edited(key: string, r: Rect, before: Uint8Array): void;
  /** where an image point is on the screen (for distances a hand can hit) */
  toClient(p: Point): Point;
  /** the overlay changed: draw it again */
  redraw(): void;
}

/** What a tool draws over the masks, in image coordinates (the view draws it in its transform). */
export type ToolOverlay =
  | { kind: 'brush'; radius: number }
  | { kind: 'polygon'; points: readonly number[]; subtract: boolean }
  | null;

export interface Tool {
  /** the CSS cursor over the canvas */
  readonly cursor: string;
  /** true: the tool takes the pointer until it is up (pointer capture) */
  pointerDown(ctx: ToolContext, p: ToolPointer): boolean;
  pointerMove(ctx: ToolContext, p: ToolPointer): void;
  pointerUp(ctx: ToolContext, p: ToolPointer): void;
  doubleClick(ctx: ToolContext): void;
  /** true when the tool used the key (Enter, Escape, Backspace while drawing a polygon) */
  key(ctx: ToolContext, key: string): boolean;
  /** drop what is half done (the tool changes, the layer goes) without an edit */
  cancel(ctx: ToolContext): void;
  overlay(ctx: ToolContext): ToolOverlay;
  /** whether the tool is in the middle of an edit (a stroke): the view keeps drawing cheaply then */
  readonly busy: boolean;
}

/**
 * Undo/redo across text edits, phrase operations and mask strokes. A step is either
 * - `doc`: the document state before and after (caption, spans, mask membership — small immutable objects, shared,
 *   never bitmaps), or
 * - `mask`: one stroke / polygon / wand click / fill on one mask, stored only as its patch (the dirty rectangle's
 *   pixels before and after), plus the document states around it when the stroke also changed the document (a
 *   mask created for the stroke).
 * Typing coalesces: `doc` steps with the same `mergeKey` within `mergeMs` of each other become one step.
 */

export interface PatchLike {
  x: number;
  y: number;
  w: number;
  h: number;
  before: Uint8Array;
  after: Uint8Array;
}

export interface DocStep<S> {
  kind: 'doc';
  label: string;
  before: S;
  after: S;
  mergeKey?: string;
  at?: number;
}

export interface MaskStep<S, P extends PatchLike = PatchLike> {
  kind: 'mask';
  label: string;
  key: string;
  patch: P;
  /** set when the document changed with the stroke (e.g. the mask was created for it) */
  before?: S;
  after?: S;
}

export type Step<S, P extends PatchLike = PatchLike> = DocStep<S> | MaskStep<S, P>;

export class History<S, P extends PatchLike = PatchLike> {
  private done: Step<S, P>[] = [];
  private undone: Step<S, P>[] = [];
  private readonly limit: number;
  private readonly mergeMs: number;

  constructor(limit = 500, mergeMs = 1000) {
    this.limit = limit;
    this.mergeMs = mergeMs;
  }

  push(step: Step<S, P>) {
    this.undone = [];
    const last = this.done[this.done.length - 1];
    if (step.kind === 'doc' && last && last.kind === 'doc' && step.mergeKey && last.mergeKey === step.mergeKey
        && step.at !== undefined && last.at !== undefined && step.at - last.at <= this.mergeMs) {
      this.done[this.done.length - 1] = { ...last, after: step.after, at: step.at };
      return;
    }
    this.done.push(step);
    if (this.done.length > this.limit) {
      this.done.splice(0, this.done.length - this.limit);
    }
  }

  /** Stops the current typing run from absorbing the next edit (e.g. after the caret moved). */
  seal() {
    const last = this.done[this.done.length - 1];
    if (last && last.kind === 'doc') {
      this.done[this.done.length - 1] = { ...last, mergeKey: undefined };
    }
  }

  /** The step to revert (apply its `before` / the patch's before), or null; it moves to the redo stack. */
  undo(): Step<S, P> | null {
    const step = this.done.pop();
    if (!step) {
      return null;
    }
    this.undone.push(step);
    return step;
  }

  /** The step to apply again (its `after`), or null. */
  redo(): Step<S, P> | null {
    const step = this.undone.pop();
    if (!step) {
      return null;
    }
    this.done.push(step);
    return step;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  get size(): number {
    return this.done.length;
  }

  clear() {
    this.done = [];
    this.undone = [];
  }
}

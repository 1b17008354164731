/**
 * The editor's document while it is edited, and its JSON form (the contract between browser and server, also the
 * draft payload):
 *
 *   {"caption":"..","phrases":[{"start":0,"end":5,"text":"a dog","flagged":false,
 *     "masks":[{"size":[h,w],"counts":".."}]}],"unlinkedMasks":[{"size":[h,w],"counts":".."}],
 *    "accepted":["mask:0:unlinked"]}
 *
 * Masks live in a map by key as {@link EditorMask}: the bitmap (decoded lazily, edited in place by the canvas) and
 * the RLE string, cached and re-encoded only when the mask became dirty. The rest — caption, phrases, which masks
 * belong where, accepted problems — is a small immutable {@link DocState}: every operation returns a new one, so
 * undo of a text or phrase operation is just the state before it (no bitmaps copied).
 */
import {
  editCaption, insertionIndex, mergedSpan, spanForSelection, SpanError, splitSpans,
  type SpanLike, type TextEdit,
} from './spans';

export interface MaskJson {
  /** the mask's stable key (issue 14), carried from revision to revision; absent: its position */
  id?: number;
  size: [number, number];
  counts: string;
}

export interface PhraseJson {
  /** the phrase's stable key: its colour and the review comments on it follow it; absent: its position */
  id?: number;
  start: number;
  end: number;
  text: string;
  flagged: boolean;
  masks: MaskJson[];
}

export interface DocumentJson {
  caption: string;
  phrases: PhraseJson[];
  unlinkedMasks: MaskJson[];
  accepted: string[];
}

/** COCO RLE both ways (editor/rle.ts in the app; tests may pass their own). */
export interface MaskCodec {
  decode(counts: string, height: number, width: number): Uint8Array;
  encode(bitmap: Uint8Array, height: number, width: number): string;
}

/** One mask: a row-major bitmap (1 = mask), height × width, and its RLE string while the bitmap is unchanged. */
export class EditorMask {
  readonly key: string;
  readonly height: number;
  readonly width: number;
  private data: Uint8Array | null;
  private rleString: string | null;

  constructor(key: string, height: number, width: number, counts: string | null, bitmap: Uint8Array | null) {
    if (counts === null && bitmap === null) {
      throw new Error('a mask needs its RLE or its bitmap');
    }
    this.key = key;
    this.height = height;
    this.width = width;
    this.rleString = counts;
    this.data = bitmap;
  }

  /** The bitmap, decoded on first use; the canvas edits it in place (then call {@link markDirty}). */
  bitmap(codec: MaskCodec): Uint8Array {
    if (this.data === null) {
      this.data = codec.decode(this.rleString as string, this.height, this.width);
    }
    return this.data;
  }

  get decoded(): boolean {
    return this.data !== null;
  }

  /** The RLE string while it is current (null after a change, until encoded again). */
  get counts(): string | null {
    return this.rleString;
  }

  /** Takes a bitmap decoded elsewhere (a batch decode) for this mask's RLE string. */
  adopt(bitmap: Uint8Array) {
    if (bitmap.length !== this.height * this.width) {
      throw new Error(`mask ${this.key}: bitmap of ${bitmap.length} pixels for ${this.height} x ${this.width}`);
    }
    if (this.data === null) {
      this.data = bitmap;
    }
  }

  /** The bitmap changed: the cached RLE string is stale. */
  markDirty() {
    if (this.data === null) {
      throw new Error(`mask ${this.key} was changed before it was decoded`);
    }
    this.rleString = null;
  }

  get dirty(): boolean {
    return this.rleString === null;
  }

  /** The COCO compressed RLE string, encoded again only after a change. */
  rle(codec: MaskCodec): string {
    if (this.rleString === null) {
      this.rleString = codec.encode(this.data as Uint8Array, this.height, this.width);
    }
    return this.rleString;
  }

  /** The stable number of this mask (its key is `m<id>`): what its name and review comments use. */
  get id(): number {
    return maskId(this.key);
  }

  toJson(codec: MaskCodec): MaskJson {
    return { id: this.id, size: [this.height, this.width], counts: this.rle(codec) };
  }
}

/** A phrase while editing: its span and the keys of its masks; `id` is stable (colours follow it). */
export interface PhraseState extends SpanLike {
  readonly id: number;
  readonly masks: readonly string[];
}

/**
 * Everything but the bitmaps. `accepted` holds the explicitly accepted problems by identity — `phrase#<id>:no-mask`,
 * `mask#<key>:unlinked` — so they survive phrases moving; the JSON uses indices.
 */
export interface DocState {
  readonly caption: string;
  readonly phrases: readonly PhraseState[];
  readonly unlinked: readonly string[];
  readonly accepted: readonly string[];
}

export class DocumentError extends Error {}

/** The document: masks by key plus the current state. */
export class EditorDocument {
  readonly masks = new Map<string, EditorMask>();
  readonly codec: MaskCodec;
  readonly height: number;
  readonly width: number;
  state: DocState;
  private nextMask = 0;
  private nextPhrase = 0;

  constructor(codec: MaskCodec, height: number, width: number, state?: DocState) {
    this.codec = codec;
    this.height = height;
    this.width = width;
    this.state = state ?? { caption: '', phrases: [], unlinked: [], accepted: [] };
  }

  /** Reads the contract's JSON (a string or parsed); a wrong shape is a {@link DocumentError} naming the field. */
  static fromJson(json: string | DocumentJson, codec: MaskCodec, height: number, width: number): EditorDocument {
    const d = (typeof json === 'string' ? JSON.parse(json) : json) as DocumentJson;
    const doc = new EditorDocument(codec, height, width);
    if (!d || typeof d.caption !== 'string') {
      throw new DocumentError('caption: missing');
    }
    const phrases: PhraseState[] = [];
    (d.phrases ?? []).forEach((p, i) => {
      const field = `phrases[${i}]`;
      if (typeof p.start !== 'number' || typeof p.end !== 'number' || typeof p.text !== 'string') {
        throw new DocumentError(`${field}: start, end and text are needed`);
      }
      const keys = (p.masks ?? []).map((m, j) => doc.addMask(m, `${field}.masks[${j}]`).key);
      phrases.push({ id: i, start: p.start, end: p.end, text: p.text, flagged: !!p.flagged, masks: keys });
    });
    const unlinked = (d.unlinkedMasks ?? []).map((m, j) => doc.addMask(m, `unlinkedMasks[${j}]`).key);
    // stable ids where the JSON has them (every phrase or none), else the positions
    const ids = (d.phrases ?? []).map((p) => p.id);
    if (ids.length > 0 && ids.every((id) => Number.isInteger(id) && (id as number) >= 0)
        && new Set(ids).size === ids.length) {
      ids.forEach((id, i) => { phrases[i] = { ...phrases[i], id: id as number }; });
    }
    doc.nextPhrase = phrases.reduce((n, p) => Math.max(n, p.id + 1), 0);
    const accepted: string[] = [];
    for (const a of d.accepted ?? []) {
      const m = /^(phrase|mask):(\d+):([a-z-]+)$/.exec(a);
      if (!m) {
        continue;
      }
      const i = Number(m[2]);
      if (m[1] === 'phrase' && phrases[i]) {
        accepted.push(`phrase#${phrases[i].id}:${m[3]}`);
      } else if (m[1] === 'mask' && unlinked[i]) {
        accepted.push(`mask#${unlinked[i]}:${m[3]}`);
      }
    }
    doc.state = { caption: d.caption, phrases, unlinked, accepted };
    return doc;
  }

  private addMask(m: MaskJson, field: string): EditorMask {
    if (!m || !Array.isArray(m.size) || m.size.length !== 2 || typeof m.counts !== 'string') {
      throw new DocumentError(`${field}: needs size [height, width] and counts`);
    }
    const wanted = Number.isInteger(m.id) && (m.id as number) >= 0 ? `m${m.id}` : null;
    // a repeated or missing id falls back to the next free number
    const key = wanted !== null && !this.masks.has(wanted) ? wanted : this.newMaskKey();
    const mask = new EditorMask(key, m.size[0], m.size[1], m.counts, null);
    this.masks.set(mask.key, mask);
    this.nextMask = Math.max(this.nextMask, maskId(key) + 1);
    return mask;
  }

  private newMaskKey(): string {
    while (this.masks.has(`m${this.nextMask}`)) {
      this.nextMask++;
    }
    return `m${this.nextMask++}`;
  }

  /** A new empty mask of the image's size (not yet part of the state). */
  newMask(): EditorMask {
    const mask = new EditorMask(this.newMaskKey(), this.height, this.width, null,
        new Uint8Array(this.height * this.width));
    this.masks.set(mask.key, mask);
    return mask;
  }

  newPhraseId(): number {
    return this.nextPhrase++;
  }

  /**
   * Decodes, in one batch, every mask of the image's size not decoded yet (`decodeMany`: e.g. rle.decodeRleMasks,
   * which shares buffers); `onDecoded` gets each mask with the extra the batch returned (e.g. its bounds).
   */
  decodeAll<X extends { bitmap: Uint8Array }>(decodeMany: (counts: string[], height: number, width: number) => X[],
                                              onDecoded?: (mask: EditorMask, result: X) => void) {
    const pending = [...this.masks.values()].filter((m) => !m.decoded && m.height === this.height
        && m.width === this.width);
    if (pending.length === 0) {
      return;
    }
    const results = decodeMany(pending.map((m) => m.counts as string), this.height, this.width);
    pending.forEach((m, i) => {
      m.adopt(results[i].bitmap);
      onDecoded?.(m, results[i]);
    });
  }

  mask(key: string): EditorMask {
    const m = this.masks.get(key);
    if (!m) {
      throw new DocumentError(`no mask ${key}`);
    }
    return m;
  }

  /** The contract's JSON of the current state; only dirty masks are encoded again. */
  toJson(state: DocState = this.state): DocumentJson {
    const phrases = state.phrases.map((p) => ({
      id: p.id, start: p.start, end: p.end, text: p.text, flagged: p.flagged,
      masks: p.masks.map((k) => this.mask(k).toJson(this.codec)),
    }));
    const unlinkedMasks = state.unlinked.map((k) => this.mask(k).toJson(this.codec));
    return { caption: state.caption, phrases, unlinkedMasks, accepted: acceptedByIndex(state) };
  }

  toJsonString(state: DocState = this.state): string {
    return JSON.stringify(this.toJson(state));
  }
}

/** The number of a mask key (`m12` → 12). */
export function maskId(key: string): number {
  const n = Number(key.slice(1));
  if (!key.startsWith('m') || !Number.isInteger(n)) {
    throw new DocumentError(`not a mask key: ${key}`);
  }
  return n;
}

/** The accepted problems of a state as the JSON writes them (indices), in problem order. */
export function acceptedByIndex(state: DocState): string[] {
  const out: string[] = [];
  state.phrases.forEach((p, i) => {
    if (state.accepted.includes(`phrase#${p.id}:no-mask`)) {
      out.push(`phrase:${i}:no-mask`);
    }
  });
  state.unlinked.forEach((k, j) => {
    if (state.accepted.includes(`mask#${k}:unlinked`)) {
      out.push(`mask:${j}:unlinked`);
    }
  });
  return out;
}

export interface Problem {
  /** as the server names it: phrase:<i>:no-mask, phrase:<i>:text-deleted, mask:<j>:unlinked */
  code: string;
  /** the identity form used in DocState.accepted */
  id: string;
  kind: 'no-mask' | 'text-deleted' | 'unlinked';
  phraseIndex: number;
  maskKey: string | null;
  accepted: boolean;
  /** text-deleted cannot be accepted: re-span or delete the phrase */
  acceptable: boolean;
}

/** What stands between this state and a submit, in the server's terms. */
export function problems(state: DocState): Problem[] {
  const out: Problem[] = [];
  state.phrases.forEach((p, i) => {
    if (p.flagged) {
      out.push({ code: `phrase:${i}:text-deleted`, id: `phrase#${p.id}:text-deleted`, kind: 'text-deleted',
        phraseIndex: i, maskKey: null, accepted: false, acceptable: false });
    }
    if (p.masks.length === 0) {
      const id = `phrase#${p.id}:no-mask`;
      out.push({ code: `phrase:${i}:no-mask`, id, kind: 'no-mask', phraseIndex: i, maskKey: null,
        accepted: state.accepted.includes(id), acceptable: true });
    }
  });
  state.unlinked.forEach((k, j) => {
    const id = `mask#${k}:unlinked`;
    out.push({ code: `mask:${j}:unlinked`, id, kind: 'unlinked', phraseIndex: -1, maskKey: k,
      accepted: state.accepted.includes(id), acceptable: true });
  });
  return out;
}

export function unresolvedProblems(state: DocState): Problem[] {
  return problems(state).filter((p) => !p.accepted);
}

// ---- operations: each returns a new state (throws DocumentError / SpanError when it does not apply) ----

export function editText(state: DocState, edit: TextEdit): DocState {
  const r = editCaption(state.caption, state.phrases, edit);
  return { ...state, caption: r.caption, phrases: r.phrases };
}

export function setAccepted(state: DocState, problemId: string, accepted: boolean): DocState {
  if (problemId.endsWith(':text-deleted')) {
    throw new DocumentError('A phrase whose text was deleted cannot be accepted: re-span it or delete it');
  }
  const rest = state.accepted.filter((a) => a !== problemId);
  return { ...state, accepted: accepted ? [...rest, problemId] : rest };
}

/** A new phrase from the caption selection `[start, end)`, placed in caption order; returns its index too. */
export function makePhrase(state: DocState, id: number, start: number, end: number):
    { state: DocState; index: number } {
  const span = spanForSelection(state.caption, state.phrases, start, end);
  const index = insertionIndex(state.phrases, span.start);
  const phrase: PhraseState = { id, ...span, flagged: false, masks: [] };
  const phrases = [...state.phrases.slice(0, index), phrase, ...state.phrases.slice(index)];
  return { state: { ...state, phrases }, index };
}

/** Gives phrase `i` the selection `[start, end)` as its span (also un-flags a phrase whose text was deleted). */
export function respanPhrase(state: DocState, i: number, start: number, end: number): { state: DocState; index: number } {
  const old = phraseAt(state, i);
  const span = spanForSelection(state.caption, state.phrases, start, end, i);
  const others = state.phrases.filter((_, k) => k !== i);
  const index = insertionIndex(others, span.start);
  const phrase: PhraseState = { ...old, ...span, flagged: false };
  return { state: { ...state, phrases: [...others.slice(0, index), phrase, ...others.slice(index)] }, index };
}

/** Deletes phrase `i`; its masks are not lost: they become masks without phrase. */
export function deletePhrase(state: DocState, i: number): DocState {
  const p = phraseAt(state, i);
  return {
    ...state,
    phrases: state.phrases.filter((_, k) => k !== i),
    unlinked: [...state.unlinked, ...p.masks],
    accepted: state.accepted.filter((a) => !a.startsWith(`phrase#${p.id}:`)),
  };
}

/** Merges phrases `i` and `j` (see spans.mergedSpan): one phrase with the masks of both, at the first's place. */
export function mergePhrases(state: DocState, i: number, j: number): { state: DocState; index: number } {
  const span = mergedSpan(state.caption, state.phrases, i, j);
  const [first, second] = i < j ? [i, j] : [j, i];
  const a = phraseAt(state, first);
  const b = phraseAt(state, second);
  const merged: PhraseState = { id: a.id, ...span, masks: [...a.masks, ...b.masks] };
  const others = state.phrases.filter((_, k) => k !== first && k !== second);
  const index = insertionIndex(others, merged.start);
  return {
    state: {
      ...state,
      phrases: [...others.slice(0, index), merged, ...others.slice(index)],
      accepted: state.accepted.filter((x) => !x.startsWith(`phrase#${a.id}:`) && !x.startsWith(`phrase#${b.id}:`)),
    },
    index,
  };
}

/** Splits phrase `i` at caption position `at`; the first part keeps the masks, the second starts without. */
export function splitPhrase(state: DocState, i: number, at: number, newId: number): DocState {
  const p = phraseAt(state, i);
  const [left, right] = splitSpans(state.caption, p, at);
  const phrases = [...state.phrases];
  phrases.splice(i, 1, { ...p, ...left }, { id: newId, ...right, flagged: false, masks: [] });
  return { ...state, phrases };
}

/** Puts mask `key` (new or existing) on phrase `target`, or among the masks without phrase when target is -1. */
export function moveMask(state: DocState, key: string, target: number): DocState {
  if (target >= state.phrases.length || target < -1) {
    throw new DocumentError(`no phrase ${target}`);
  }
  const without = removeMaskKey(state, key);
  if (target < 0) {
    return { ...without, unlinked: [...without.unlinked, key] };
  }
  const phrases = without.phrases.map((p, k) => (k === target ? { ...p, masks: [...p.masks, key] } : p));
  return { ...without, phrases };
}

/** Removes mask `key` from the document (the bitmap stays in the map, so undo can bring it back). */
export function deleteMask(state: DocState, key: string): DocState {
  return removeMaskKey(state, key);
}

function removeMaskKey(state: DocState, key: string): DocState {
  return {
    ...state,
    phrases: state.phrases.map((p) => (p.masks.includes(key) ? { ...p, masks: p.masks.filter((k) => k !== key) } : p)),
    unlinked: state.unlinked.filter((k) => k !== key),
    accepted: state.accepted.filter((a) => a !== `mask#${key}:unlinked`),
  };
}

/** The phrase a mask belongs to: its index, -1 for a mask without phrase, null when it is not in the document. */
export function phraseOfMask(state: DocState, key: string): number | null {
  const i = state.phrases.findIndex((p) => p.masks.includes(key));
  if (i >= 0) {
    return i;
  }
  return state.unlinked.includes(key) ? -1 : null;
}

/** Every mask key of the state: phrases' masks in phrase order, then the unlinked ones. */
export function maskKeys(state: DocState): string[] {
  return [...state.phrases.flatMap((p) => p.masks), ...state.unlinked];
}

function phraseAt(state: DocState, i: number): PhraseState {
  const p = state.phrases[i];
  if (!p) {
    throw new DocumentError(`no phrase ${i}`);
  }
  return p;
}

export { SpanError };

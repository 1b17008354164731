/**
 * Phrase spans of a caption under free text editing. Pure functions on plain objects: a phrase is a character span
 * `[start, end)` of the caption with its text; a phrase whose whole text was deleted is kept, flagged, with
 * `start == end` (never silently dropped) and its old text, until the annotator re-spans or deletes it.
 *
 * Rules for an edit that replaces `[a, b)` of the caption with `insert` (typing, deleting, pasting are all this):
 * - insertions exactly at a phrase's start or end go outside the phrase (typing after "dog" does not grow "dog");
 * - an edit wholly before a phrase shifts it; wholly after leaves it;
 * - an edit inside a phrase (touching at most one of its ends) resizes it;
 * - replacing exactly a phrase's text with new text makes the new text the phrase;
 * - an edit that removes the whole text of a phrase otherwise flags it (start == end == where its text was);
 * - an edit overlapping one end of a phrase cuts the phrase to what is left of its own text (trimmed of white
 *   space; flagged when only white space is left).
 */

export interface SpanLike {
  start: number;
  end: number;
  text: string;
  flagged: boolean;
}

/** Replace `[start, end)` of the caption with `insert`. */
export interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

export function applyTextEdit(caption: string, edit: TextEdit): string {
  checkEdit(caption, edit);
  return caption.slice(0, edit.start) + edit.insert + caption.slice(edit.end);
}

function checkEdit(caption: string, edit: TextEdit) {
  if (!(edit.start >= 0 && edit.start <= edit.end && edit.end <= caption.length)) {
    throw new RangeError(`edit [${edit.start}, ${edit.end}) is outside the caption of length ${caption.length}`);
  }
}

/** Where one span goes under an edit (see the rules above); `text` is taken from the new caption. */
export function moveSpan<P extends SpanLike>(span: P, edit: TextEdit, newCaption: string): P {
  const a = edit.start;
  const b = edit.end;
  const len = edit.insert.length;
  const delta = len - (b - a);
  const s = span.start;
  const e = span.end;
  if (span.flagged || s === e) {
    // a point: moves with text before it, lands at the edit when the edit swallows it
    if (b <= s) {
      return { ...span, start: s + delta, end: s + delta };
    }
    if (a < s) {
      return { ...span, start: a, end: a };
    }
    return span;
  }
  if (b <= s) {
    return withText({ ...span, start: s + delta, end: e + delta }, newCaption);
  }
  if (a >= e) {
    return span;
  }
  if (a === s && b === e && len > 0) {
    return withText({ ...span, start: a, end: a + len }, newCaption);
  }
  if (a <= s && b >= e) {
    return { ...span, start: a, end: a, flagged: true };
  }
  if (a < s) {
    // overlaps the start: the rest of the phrase after b stays the phrase
    return trimmedRest(span, a + len, e + delta, newCaption);
  }
  if (b > e) {
    // overlaps the end: the phrase keeps what is before a
    return trimmedRest(span, s, a, newCaption);
  }
  return withText({ ...span, start: s, end: e + delta }, newCaption);
}

/** What is left of a phrase cut by an edit, without white space at its ends; flagged when nothing is left. */
function trimmedRest<P extends SpanLike>(span: P, start: number, end: number, caption: string): P {
  const t = trimSelection(caption, start, end);
  if (t.start >= t.end) {
    return { ...span, start, end: start, flagged: true };
  }
  return withText({ ...span, start: t.start, end: t.end }, caption);
}

function withText<P extends SpanLike>(span: P, caption: string): P {
  span.text = caption.slice(span.start, span.end);
  return span;
}

/** The caption and every phrase after an edit. Phrases keep their order and identity (objects are copied). */
export function editCaption<P extends SpanLike>(caption: string, phrases: readonly P[], edit: TextEdit):
    { caption: string; phrases: P[] } {
  const next = applyTextEdit(caption, edit);
  return { caption: next, phrases: phrases.map((p) => moveSpan(p, edit, next)) };
}

/**
 * The single edit that turns `before` into `after`, given the selection before the change and the caret after it
 * (a textarea's `input` event does not say what changed; with the selection the answer is exact for typing,
 * deleting and pasting, even in runs of equal letters).
 */
export function diffEdit(before: string, after: string, selStartBefore: number, selEndBefore: number,
                         caretAfter: number): TextEdit {
  const maxPrefix = Math.max(0, Math.min(selStartBefore, caretAfter, before.length, after.length));
  let p = 0;
  while (p < maxPrefix && before.charCodeAt(p) === after.charCodeAt(p)) {
    p++;
  }
  const maxSuffix = Math.max(0, Math.min(before.length - p, after.length - p,
      before.length - Math.min(before.length, selEndBefore), after.length - caretAfter));
  let s = 0;
  while (s < maxSuffix && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) {
    s++;
  }
  const edit = { start: p, end: before.length - s, insert: after.slice(p, after.length - s) };
  if (applyTextEdit(before, edit) === after) {
    return edit;
  }
  // the hints did not fit (e.g. an edit made by script): a plain prefix/suffix diff
  return plainDiff(before, after);
}

export function plainDiff(before: string, after: string): TextEdit {
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) {
    p++;
  }
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) {
    s++;
  }
  return { start: p, end: before.length - s, insert: after.slice(p, after.length - s) };
}

/** Leading and trailing white space off a selection `[start, end)` of the caption. */
export function trimSelection(caption: string, start: number, end: number): { start: number; end: number } {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(caption.length, Math.max(start, end));
  while (s < e && /\s/.test(caption[s])) {
    s++;
  }
  while (e > s && /\s/.test(caption[e - 1])) {
    e--;
  }
  return { start: s, end: e };
}

/** The index of the phrase (unflagged) that overlaps `[start, end)`, or -1. */
export function overlapping(phrases: readonly SpanLike[], start: number, end: number, except = -1): number {
  for (let i = 0; i < phrases.length; i++) {
    const p = phrases[i];
    if (i !== except && !p.flagged && p.start < end && start < p.end) {
      return i;
    }
  }
  return -1;
}

/** Where a phrase starting at `start` goes so that phrases stay in caption order (flagged ones by their point). */
export function insertionIndex(phrases: readonly SpanLike[], start: number): number {
  let i = 0;
  while (i < phrases.length && phrases[i].start <= start) {
    i++;
  }
  return i;
}

export class SpanError extends Error {}

/**
 * The selection `[start, end)` as a span for a new phrase: trimmed of white space; refused when empty or when it
 * overlaps an existing phrase (`except`: the phrase being re-spanned).
 */
export function spanForSelection(caption: string, phrases: readonly SpanLike[], start: number, end: number,
                                 except = -1): { start: number; end: number; text: string } {
  const t = trimSelection(caption, start, end);
  if (t.start >= t.end) {
    throw new SpanError('Select some caption text first');
  }
  const o = overlapping(phrases, t.start, t.end, except);
  if (o >= 0) {
    throw new SpanError(`The selection overlaps the phrase "${phrases[o].text}"`);
  }
  return { start: t.start, end: t.end, text: caption.slice(t.start, t.end) };
}

/**
 * Merging phrases `i` and `j`: allowed when no other (unflagged) phrase lies between them; the merged span runs from
 * the first one's start to the second one's end (the words between become part of it). A flagged phrase merges
 * into the other one (its masks join, its deleted text is gone). Returns the merged span.
 */
export function mergedSpan(caption: string, phrases: readonly SpanLike[], i: number, j: number):
    { start: number; end: number; text: string; flagged: boolean } {
  if (i === j || !phrases[i] || !phrases[j]) {
    throw new SpanError('Choose two different phrases to merge');
  }
  const a = phrases[i];
  const b = phrases[j];
  if (a.flagged && b.flagged) {
    return { start: a.start, end: a.start, text: a.text, flagged: true };
  }
  if (a.flagged || b.flagged) {
    const keep = a.flagged ? b : a;
    return { start: keep.start, end: keep.end, text: keep.text, flagged: false };
  }
  const start = Math.min(a.start, b.start);
  const end = Math.max(a.end, b.end);
  const between = overlappingOthers(phrases, start, end, i, j);
  if (between >= 0) {
    throw new SpanError(`"${phrases[between].text}" lies between them: merge neighbours only`);
  }
  return { start, end, text: caption.slice(start, end), flagged: false };
}

function overlappingOthers(phrases: readonly SpanLike[], start: number, end: number, i: number, j: number): number {
  for (let k = 0; k < phrases.length; k++) {
    const p = phrases[k];
    if (k !== i && k !== j && !p.flagged && p.start < end && start < p.end) {
      return k;
    }
  }
  return -1;
}

/**
 * Splitting a phrase at caption position `at` (strictly inside it): the two parts, each trimmed of white space;
 * refused when either part would be empty.
 */
export function splitSpans(caption: string, phrase: SpanLike, at: number):
    [{ start: number; end: number; text: string }, { start: number; end: number; text: string }] {
  if (phrase.flagged || !(at > phrase.start && at < phrase.end)) {
    throw new SpanError('Put the cursor inside the phrase where it should split');
  }
  const left = trimSelection(caption, phrase.start, at);
  const right = trimSelection(caption, at, phrase.end);
  if (left.start >= left.end || right.start >= right.end) {
    throw new SpanError('Both parts of a split need some text');
  }
  return [
    { ...left, text: caption.slice(left.start, left.end) },
    { ...right, text: caption.slice(right.start, right.end) },
  ];
}

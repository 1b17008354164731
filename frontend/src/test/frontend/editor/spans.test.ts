import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  diffEdit, editCaption, mergedSpan, moveSpan, plainDiff, SpanError, spanForSelection, splitSpans,
  type SpanLike, type TextEdit,
} from '../../../main/frontend/editor/spans.ts';

const caption = 'A dog chases a red ball.';
const dog: SpanLike = { start: 0, end: 5, text: 'A dog', flagged: false };
const ball: SpanLike = { start: 13, end: 23, text: 'a red ball', flagged: false };

function edit(start: number, end: number, insert: string): TextEdit {
  return { start, end, insert };
}

test('an insertion before a phrase shifts it', () => {
  const r = editCaption(caption, [dog, ball], edit(6, 6, 'quickly '));
  assert.equal(r.caption, 'A dog quickly chases a red ball.');
  assert.deepEqual(r.phrases[0], dog);
  assert.deepEqual(r.phrases[1], { start: 21, end: 31, text: 'a red ball', flagged: false });
});

test('an insertion at a phrase start or end stays outside it', () => {
  const r = editCaption(caption, [dog, ball], edit(13, 13, 'X'));
  assert.deepEqual([r.phrases[1].start, r.phrases[1].end, r.phrases[1].text], [14, 24, 'a red ball']);
  const s = editCaption(caption, [dog, ball], edit(23, 23, 's'));
  assert.deepEqual([s.phrases[1].start, s.phrases[1].end, s.phrases[1].text], [13, 23, 'a red ball']);
});

test('an edit inside a phrase resizes it', () => {
  const r = editCaption(caption, [dog, ball], edit(15, 18, 'big blue'));
  assert.equal(r.caption, 'A dog chases a big blue ball.');
  assert.deepEqual(r.phrases[1], { start: 13, end: 28, text: 'a big blue ball', flagged: false });
});

test('deleting a phrase text flags it, never drops it', () => {
  const r = editCaption(caption, [dog, ball], edit(12, 23, ''));
  assert.equal(r.caption, 'A dog chases.');
  assert.equal(r.phrases.length, 2);
  assert.deepEqual(r.phrases[1], { start: 12, end: 12, text: 'a red ball', flagged: true });
  // the flagged point moves with later edits before it
  const s = editCaption(r.caption, r.phrases, edit(0, 0, 'Look: '));
  assert.deepEqual([s.phrases[1].start, s.phrases[1].end, s.phrases[1].flagged], [18, 18, true]);
});

test('replacing exactly a phrase text makes the new text the phrase', () => {
  const r = editCaption(caption, [dog, ball], edit(0, 5, 'The cat'));
  assert.deepEqual(r.phrases[0], { start: 0, end: 7, text: 'The cat', flagged: false });
  assert.deepEqual([r.phrases[1].start, r.phrases[1].end], [15, 25]);
});

test('an edit over one end of a phrase keeps the rest of it', () => {
  // "chases a red" -> "sees"  (overlaps the start of "a red ball")
  const r = editCaption(caption, [dog, ball], edit(6, 18, 'sees'));
  assert.equal(r.caption, 'A dog sees ball.');
  assert.deepEqual(r.phrases[1], { start: 11, end: 15, text: 'ball', flagged: false });
  // "dog chases" -> "cat" (overlaps the end of "A dog")
  const s = editCaption(caption, [dog, ball], edit(2, 12, 'cat'));
  assert.equal(s.caption, 'A cat a red ball.');
  assert.deepEqual(s.phrases[0], { start: 0, end: 1, text: 'A', flagged: false });
});

test('diffEdit finds the exact edit with the selection, even among equal letters', () => {
  assert.deepEqual(diffEdit('aa', 'aaa', 0, 0, 1), edit(0, 0, 'a'));
  assert.deepEqual(diffEdit('aa', 'a', 1, 1, 0), edit(0, 1, ''));
  assert.deepEqual(diffEdit('abc', 'a', 0, 3, 1), edit(0, 3, 'a'));
  assert.deepEqual(diffEdit('A dog', 'A big dog', 2, 2, 6), edit(2, 2, 'big '));
  // hints that do not fit (a scripted change) still give an edit that produces the new text
  const e = diffEdit('abc', 'abXc', 0, 0, 0);
  assert.equal('abc'.slice(0, e.start) + e.insert + 'abc'.slice(e.end), 'abXc');
  assert.deepEqual(plainDiff('abc', 'abXc'), edit(2, 2, 'X'));
});

test('a selection becomes a phrase span, trimmed; overlaps are refused', () => {
  assert.deepEqual(spanForSelection(caption, [dog, ball], 5, 13), { start: 6, end: 12, text: 'chases' });
  assert.throws(() => spanForSelection(caption, [dog, ball], 3, 9), SpanError);
  assert.throws(() => spanForSelection(caption, [dog, ball], 5, 6), SpanError);
});

test('merge takes neighbours with the words between; not across another phrase', () => {
  const chases: SpanLike = { start: 6, end: 12, text: 'chases', flagged: false };
  assert.deepEqual(mergedSpan(caption, [dog, chases, ball], 0, 1),
    { start: 0, end: 12, text: 'A dog chases', flagged: false });
  assert.throws(() => mergedSpan(caption, [dog, chases, ball], 0, 2), /lies between/);
  const gone: SpanLike = { start: 6, end: 6, text: 'old', flagged: true };
  assert.deepEqual(mergedSpan(caption, [dog, gone], 0, 1), { start: 0, end: 5, text: 'A dog', flagged: false });
});

test('split cuts a phrase in two trimmed parts', () => {
  assert.deepEqual(splitSpans(caption, ball, 18), [
    { start: 13, end: 18, text: 'a red' }, { start: 19, end: 23, text: 'ball' }]);
  assert.throws(() => splitSpans(caption, ball, 13), SpanError);
  assert.deepEqual(splitSpans(caption, ball, 14)[1], { start: 14 + 1, end: 23, text: 'red ball' });
});

/** mulberry32: a small seeded generator, so a failure is reproducible */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('property: after any edits every unflagged phrase is its caption text, flagged ones are points', () => {
  const alphabet = 'ab  cd.';
  for (let run = 0; run < 300; run++) {
    const rnd = random(1000 + run);
    const int = (n: number) => Math.floor(rnd() * n);
    let text = 'a dog and a cat on a mat';
    let phrases: SpanLike[] = [
      { start: 0, end: 5, text: 'a dog', flagged: false },
      { start: 10, end: 15, text: 'a cat', flagged: false },
      { start: 19, end: 24, text: 'a mat', flagged: false },
    ];
    for (let k = 0; k < 40; k++) {
      const a = int(text.length + 1);
      const b = Math.min(text.length, a + (rnd() < 0.5 ? 0 : int(8)));
      let insert = '';
      const n = rnd() < 0.4 ? 0 : 1 + int(4);
      for (let c = 0; c < n; c++) {
        insert += alphabet[int(alphabet.length)];
      }
      const r = editCaption(text, phrases, edit(a, b, insert));
      text = r.caption;
      phrases = r.phrases;
      assert.equal(phrases.length, 3, 'never dropped');
      for (const p of phrases) {
        assert.ok(p.start >= 0 && p.end <= text.length && p.start <= p.end, `in range: ${JSON.stringify(p)}`);
        if (p.flagged) {
          assert.equal(p.start, p.end);
        } else {
          assert.ok(p.start < p.end, `not empty unless flagged: ${JSON.stringify(p)} in "${text}"`);
          assert.equal(p.text, text.slice(p.start, p.end), `seed ${1000 + run} step ${k}`);
        }
      }
      // phrases never overlap and keep their order
      const live = phrases.filter((p) => !p.flagged);
      for (let i = 1; i < live.length; i++) {
        assert.ok(live[i - 1].end <= live[i].start);
      }
    }
  }
});

test('moveSpan keeps a flagged point still for edits after it', () => {
  const gone: SpanLike = { start: 4, end: 4, text: 'x', flagged: true };
  assert.equal(moveSpan(gone, edit(4, 6, ''), 'abcd'), gone);
  assert.deepEqual(moveSpan(gone, edit(1, 6, ''), 'a'), { ...gone, start: 1, end: 1 });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deleteMask, deletePhrase, DocumentError, editText, EditorDocument, makePhrase, mergePhrases, moveMask,
  problems, setAccepted, splitPhrase, unresolvedProblems, type MaskCodec,
} from '../../../main/frontend/editor/document.ts';

/** A transparent codec for the tests: "counts" is the bitmap as 0/1 characters; counts calls. */
function codec() {
  const calls = { decode: 0, encode: 0 };
  const c: MaskCodec = {
    decode(counts, h, w) {
      calls.decode++;
      assert.equal(counts.length, h * w);
      return Uint8Array.from(counts, (ch) => (ch === '1' ? 1 : 0));
    },
    encode(bitmap) {
      calls.encode++;
      return Array.from(bitmap).join('');
    },
  };
  return { c, calls };
}

const json = {
  caption: 'A dog chases a red ball.',
  phrases: [
    { id: 0, start: 0, end: 5, text: 'A dog', flagged: false, masks: [{ id: 0, size: [2, 3], counts: '110000' }] },
    { id: 1, start: 13, end: 23, text: 'a red ball', flagged: false, masks: [] },
  ],
  unlinkedMasks: [{ id: 1, size: [2, 3], counts: '000011' }],
  accepted: ['mask:0:unlinked'],
};

test('reads and writes the contract JSON; only dirty masks are encoded again', () => {
  const { c, calls } = codec();
  const doc = EditorDocument.fromJson(JSON.stringify(json), c, 2, 3);
  assert.deepEqual(doc.toJson(), json);
  assert.equal(calls.decode, 0, 'bitmaps are decoded lazily');
  assert.equal(calls.encode, 0, 'unchanged masks keep their string');
  const key = doc.state.phrases[0].masks[0];
  const bitmap = doc.mask(key).bitmap(c);
  bitmap[5] = 1;
  doc.mask(key).markDirty();
  assert.equal(doc.toJson().phrases[0].masks[0].counts, '110001');
  assert.equal(calls.encode, 1);
  doc.toJson();
  assert.equal(calls.encode, 1, 'encoded once, then cached');
});

test('a bad document names the field', () => {
  const { c } = codec();
  assert.throws(() => EditorDocument.fromJson({ ...json, caption: undefined } as never, c, 2, 3), /caption/);
  const bad = { ...json, phrases: [{ ...json.phrases[0], masks: [{ counts: '1' }] }] };
  assert.throws(() => EditorDocument.fromJson(bad as never, c, 2, 3), (e: Error) =>
    e instanceof DocumentError && e.message.startsWith('phrases[0].masks[0]'));
});

test('problems in the server terms; accepted ones survive phrases moving', () => {
  const { c } = codec();
  const doc = EditorDocument.fromJson(json, c, 2, 3);
  assert.deepEqual(problems(doc.state).map((p) => [p.code, p.accepted]),
    [['phrase:1:no-mask', false], ['mask:0:unlinked', true]]);
  let s = setAccepted(doc.state, problems(doc.state)[0].id, true);
  assert.equal(unresolvedProblems(s).length, 0);
  // a new phrase before both: indices shift, acceptances follow their phrase
  s = makePhrase(s, doc.newPhraseId(), 6, 12).state;
  assert.deepEqual(problems(s).map((p) => [p.code, p.accepted]),
    [['phrase:1:no-mask', false], ['phrase:2:no-mask', true], ['mask:0:unlinked', true]]);
  assert.deepEqual(doc.toJson(s).accepted, ['phrase:2:no-mask', 'mask:0:unlinked']);
  // text-deleted cannot be accepted
  const flagged = editText(s, { start: 13, end: 24, insert: '' });
  const deleted = problems(flagged).find((p) => p.kind === 'text-deleted');
  assert.ok(deleted);
  assert.throws(() => setAccepted(flagged, deleted.id, true), DocumentError);
});

test('deleting a phrase keeps its masks as masks without phrase; merge and split keep masks', () => {
  const { c } = codec();
  const doc = EditorDocument.fromJson(json, c, 2, 3);
  const dogMask = doc.state.phrases[0].masks[0];
  const d = deletePhrase(doc.state, 0);
  assert.equal(d.phrases.length, 1);
  assert.deepEqual(d.unlinked.slice(-1), [dogMask]);

  const withChases = makePhrase(doc.state, doc.newPhraseId(), 6, 12).state;
  const merged = mergePhrases(withChases, 0, 1);
  assert.equal(merged.state.phrases[0].text, 'A dog chases');
  assert.deepEqual(merged.state.phrases[0].masks, [dogMask]);
  assert.throws(() => mergePhrases(withChases, 0, 2), /lies between/);

  const split = splitPhrase(doc.state, 1, 18, doc.newPhraseId());
  assert.deepEqual(split.phrases.map((p) => p.text), ['A dog', 'a red', 'ball']);
});

test('masks move between phrases and are deleted; the bitmap stays for undo', () => {
  const { c } = codec();
  const doc = EditorDocument.fromJson(json, c, 2, 3);
  const stray = doc.state.unlinked[0];
  const moved = moveMask(doc.state, stray, 1);
  assert.deepEqual(moved.phrases[1].masks, [stray]);
  assert.equal(moved.unlinked.length, 0);
  assert.equal(moved.accepted.length, 0, 'the acceptance of the unlinked mask is gone with the problem');
  const gone = deleteMask(moved, stray);
  assert.equal(gone.phrases[1].masks.length, 0);
  assert.ok(doc.masks.has(stray));
  const fresh = doc.newMask();
  assert.equal(fresh.bitmap(c).length, 6);
  assert.equal(fresh.dirty, true);
  assert.deepEqual(doc.toJson(moveMask(doc.state, fresh.key, 0)).phrases[0].masks[1],
      { id: 2, size: [2, 3], counts: '000000' });
});

test('decodeAll decodes the pending masks of the image size in one batch, then they are not decoded again', () => {
  const { c, calls } = codec();
  const doc = EditorDocument.fromJson(json, c, 2, 3);
  const batches: string[][] = [];
  const seen: string[] = [];
  doc.decodeAll((counts, h, w) => {
    batches.push(counts);
    return counts.map((s) => ({ bitmap: c.decode(s, h, w), extra: s.length }));
  }, (m, r) => seen.push(`${m.key}:${r.extra}`));
  assert.deepEqual(batches, [['110000', '000011']]);
  assert.deepEqual(seen, ['m0:6', 'm1:6']);
  const before = calls.decode;
  doc.mask('m0').bitmap(c);
  assert.equal(calls.decode, before, 'already decoded');
  doc.decodeAll(() => assert.fail('nothing left to decode'));
  assert.throws(() => doc.mask('m0').adopt(new Uint8Array(5)), /bitmap of 5 pixels/);
});

test('phrases and masks keep their ids through edits and a reload (issue 14: colours changed after "Make phrase")', () => {
  const { c } = codec();
  const noIds = { ...json, phrases: json.phrases.map(({ id: _id, ...p }) => ({ ...p, masks: p.masks.map(({ id: _m, ...m }) => m) })),
    unlinkedMasks: json.unlinkedMasks.map(({ id: _m, ...m }) => m) };
  // without ids, the positions are the ids (what older drafts and imports have)
  const doc = EditorDocument.fromJson(JSON.stringify(noIds), c, 2, 3);
  assert.deepEqual(doc.state.phrases.map((p) => p.id), [0, 1]);
  assert.deepEqual(doc.toJson().phrases.map((p) => p.masks.map((m) => m.id)), [[0], []]);
  // a phrase made between the two gets a new id; the others keep theirs
  const made = makePhrase(doc.state, doc.newPhraseId(), 6, 12).state;
  assert.deepEqual(made.phrases.map((p) => [p.text, p.id]), [['A dog', 0], ['chases', 2], ['a red ball', 1]]);
  const mask = doc.newMask();
  const linked = moveMask(made, mask.key, 2);
  const saved = doc.toJsonString(linked);
  const again = EditorDocument.fromJson(saved, c, 2, 3);
  assert.deepEqual(again.state.phrases.map((p) => [p.text, p.id]), [['A dog', 0], ['chases', 2], ['a red ball', 1]]);
  assert.deepEqual(again.toJson().phrases[2].masks.map((m) => m.id), [mask.id]);
  assert.deepEqual(again.toJson().unlinkedMasks.map((m) => m.id), [1]);
  // new ones after the reload do not reuse an id
  assert.equal(again.newPhraseId(), 3);
  assert.equal(again.newMask().id, mask.id + 1);
});

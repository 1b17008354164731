import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, type PatchLike } from '../../../main/frontend/editor/history.ts';

const patch = (v: number): PatchLike => ({ x: 0, y: 0, w: 1, h: 1, before: Uint8Array.of(0), after: Uint8Array.of(v) });

test('undo and redo walk text, phrase and mask steps in order; a new step clears redo', () => {
  const h = new History<string>();
  h.push({ kind: 'doc', label: 'type', before: 'a', after: 'ab' });
  h.push({ kind: 'mask', label: 'brush', key: 'm0', patch: patch(1) });
  h.push({ kind: 'doc', label: 'make phrase', before: 'ab', after: 'ab*' });
  assert.equal(h.undo()?.label, 'make phrase');
  const m = h.undo();
  assert.equal(m?.kind, 'mask');
  assert.equal(m?.kind === 'mask' ? m.key : '', 'm0');
  assert.equal(h.redo()?.label, 'brush');
  assert.ok(h.canRedo);
  h.push({ kind: 'doc', label: 'other', before: 'ab', after: 'x' });
  assert.equal(h.canRedo, false);
  assert.equal(h.redo(), null);
  assert.deepEqual([h.undo()?.label, h.undo()?.label, h.undo()?.label, h.undo()], ['other', 'brush', 'type', null]);
});

test('typing coalesces within the merge window, not across it or after seal', () => {
  const h = new History<string>(100, 1000);
  h.push({ kind: 'doc', label: 'type', before: '', after: 'a', mergeKey: 'text', at: 0 });
  h.push({ kind: 'doc', label: 'type', before: 'a', after: 'ab', mergeKey: 'text', at: 500 });
  h.push({ kind: 'doc', label: 'type', before: 'ab', after: 'abc', mergeKey: 'text', at: 2000 });
  h.seal();
  h.push({ kind: 'doc', label: 'type', before: 'abc', after: 'abcd', mergeKey: 'text', at: 2100 });
  assert.equal(h.size, 3);
  const last = h.undo();
  assert.deepEqual(last?.kind === 'doc' ? [last.before, last.after] : null, ['abc', 'abcd']);
  h.undo();
  const first = h.undo();
  assert.deepEqual(first?.kind === 'doc' ? [first.before, first.after] : null, ['', 'ab']);
});

test('the history keeps at most its limit of steps', () => {
  const h = new History<number>(3);
  for (let i = 0; i < 5; i++) {
    h.push({ kind: 'doc', label: String(i), before: i, after: i + 1 });
  }
  assert.deepEqual([h.undo()?.label, h.undo()?.label, h.undo()?.label, h.undo()], ['4', '3', '2', null]);
});

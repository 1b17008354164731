import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionFor, chordOf, conflicts, effectiveKeys, KEYMAP, KeymapError, parseOverrides, rebind, resetBinding, shortcutList,
  validChord,
} from '../../../main/frontend/editor/keymap.ts';

test('chords name the key as the map writes it', () => {
  assert.equal(chordOf({ key: 'b' }), 'B');
  assert.equal(chordOf({ key: 'P', shiftKey: true }), 'Shift+P');
  assert.equal(chordOf({ key: 'Z', ctrlKey: true, shiftKey: true }), 'Ctrl+Shift+Z');
  assert.equal(chordOf({ key: 'z', metaKey: true }), 'Ctrl+Z');
  assert.equal(chordOf({ key: 'Enter', ctrlKey: true }), 'Ctrl+Enter');
  assert.equal(chordOf({ key: '?', shiftKey: true }), '?', 'the shift of "?" is in the character');
  assert.equal(chordOf({ key: 'Shift', shiftKey: true }), null);
  assert.equal(chordOf({ key: ' ' }), null, 'Space belongs to the canvas (pan)');
});

test('the default map is the editor\'s shortcuts, without conflicts', () => {
  const cases: [Parameters<typeof actionFor>[0], string | null][] = [
    [{ key: 'v' }, 'select'], [{ key: 'b' }, 'brush'], [{ key: 'B', shiftKey: true }, 'brush'],
    [{ key: 'e' }, 'eraser'], [{ key: 'p' }, 'polygon-add'], [{ key: 'P', shiftKey: true }, 'polygon-subtract'],
    [{ key: 'w' }, 'wand'], [{ key: 'm' }, 'move'], [{ key: '[' }, 'brush-smaller'], [{ key: ']' }, 'brush-larger'],
    [{ key: 'h' }, 'hide-all'], [{ key: 'o' }, 'outline'], [{ key: 'c' }, 'compare'], [{ key: 'f' }, 'fit'],
    [{ key: '1' }, 'one-to-one'], [{ key: 'z', ctrlKey: true }, 'undo'],
    [{ key: 'Z', ctrlKey: true, shiftKey: true }, 'redo'], [{ key: 'y', ctrlKey: true }, 'redo'],
    [{ key: 'Enter', ctrlKey: true }, 'submit'], [{ key: 's', ctrlKey: true }, 'save'], [{ key: 'd' }, 'next'],
    [{ key: 'a' }, 'previous'], [{ key: '?', shiftKey: true }, 'help'], [{ key: 'Escape' }, 'escape'],
    [{ key: 'x' }, null], [{ key: 'b', altKey: true }, null], [{ key: 'Enter' }, null],
  ];
  for (const [event, action] of cases) {
    assert.equal(actionFor(event), action, JSON.stringify(event));
  }
  assert.deepEqual(conflicts(), []);
  // every action has a row in the ? list (the same table)
  assert.equal(new Set(KEYMAP.map((b) => b.action).filter((a) => a)).size, effectiveKeys().size);
});

test('a user binding replaces the default; a taken key is refused naming its action, or taken over', () => {
  let mine = rebind({}, 'brush', 'G');
  assert.equal(actionFor({ key: 'g' }, mine), 'brush');
  assert.equal(actionFor({ key: 'b' }, mine), null, 'the old key is free now');
  assert.throws(() => rebind(mine, 'wand', 'D'), (e: Error) => e instanceof KeymapError
      && e.message.includes('"next item"'));
  mine = rebind(mine, 'wand', 'D', true);
  assert.equal(actionFor({ key: 'd' }, mine), 'wand');
  assert.deepEqual(effectiveKeys(mine).get('next'), [], 'next item lost its key');
  assert.deepEqual(conflicts(mine), []);
  mine = resetBinding(mine, 'next');
  assert.deepEqual(conflicts(mine).map(([k]) => k), ['D'], 'resetting into a taken key shows the conflict');
  assert.throws(() => rebind({}, 'brush', 'Shift+?'), KeymapError);
  assert.throws(() => rebind({}, 'brush', 'b'), KeymapError);
});

test('stored bindings are read leniently: unknown actions and bad keys are dropped', () => {
  assert.deepEqual(parseOverrides('{"brush":["G"],"fly":["F"],"wand":["not a key"],"move":"M"}'), { brush: ['G'] });
  assert.deepEqual(parseOverrides('not json'), {});
  assert.deepEqual(parseOverrides(null), {});
  assert.ok(validChord('Ctrl+Shift+Z') && validChord('[') && validChord('F2') && !validChord('Ctrl+') && !validChord(''));
});

test('the ? list is the table: one row per action, a group in one row, the user\'s keys shown', () => {
  const rows = shortcutList();
  const brushSize = rows.find((r) => r.actions.includes('brush-smaller'));
  assert.deepEqual(brushSize, { actions: ['brush-smaller', 'brush-larger'], keys: '[ / ]',
    description: 'brush size smaller / larger' });
  assert.deepEqual(rows.find((r) => r.actions.length === 0), { actions: [], keys: 'Space + drag',
    description: 'pan (also the middle button)' });
  assert.equal(rows.find((r) => r.actions[0] === 'redo')?.keys, 'Ctrl+Shift+Z, Ctrl+Y');
  assert.equal(rows.flatMap((r) => r.actions).length, effectiveKeys().size, 'every action is listed once');
  assert.equal(shortcutList({ brush: ['G'] }).find((r) => r.actions[0] === 'brush')?.keys, 'G');
});

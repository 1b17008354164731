/**
 * The editor's keyboard map: one table (action → default keys, description, context) that both the key handler and
 * the `?` list read, and the user's own bindings on top of it (stored per user on the server). DOM-free: keys are
 * written as chords like "B", "Shift+P", "Ctrl+Shift+Z", "Ctrl+Enter", "?", "[" and read from KeyboardEvent-like
 * objects.
 */

export type KeyAction =
  | 'select' | 'brush' | 'eraser' | 'polygon-add' | 'polygon-subtract' | 'wand' | 'move'
  | 'brush-smaller' | 'brush-larger' | 'hide-all' | 'outline' | 'compare' | 'fit' | 'one-to-one'
  | 'undo' | 'redo' | 'submit' | 'save' | 'next' | 'previous' | 'help' | 'escape';

export interface KeyBinding {
  /** null: shown in the list, handled elsewhere (the canvas's Space + drag), not rebindable */
  action: KeyAction | null;
  keys: readonly string[];
  description: string;
  context: 'tools' | 'view' | 'edit' | 'items';
  /** actions of one group share a row of the list ("[ / ]  brush size smaller / larger") */
  group?: string;
}

export const KEYMAP: readonly KeyBinding[] = [
  { action: 'select', keys: ['V'], description: 'select / click a mask', context: 'tools' },
  { action: 'brush', keys: ['B'], description: 'brush', context: 'tools' },
  { action: 'eraser', keys: ['E'], description: 'eraser', context: 'tools' },
  { action: 'polygon-add', keys: ['P'], description: 'polygon (add)', context: 'tools' },
  { action: 'polygon-subtract', keys: ['Shift+P'], description: 'polygon (subtract)', context: 'tools' },
  { action: 'wand', keys: ['W'], description: 'magic wand', context: 'tools' },
  { action: 'move', keys: ['M'], description: 'move the selected mask', context: 'tools' },
  { action: null, keys: ['Space + drag'], description: 'pan (also the middle button)', context: 'view' },
  { action: 'brush-smaller', keys: ['['], description: 'brush size smaller', context: 'tools', group: 'brush size' },
  { action: 'brush-larger', keys: [']'], description: 'brush size larger', context: 'tools', group: 'brush size' },
  { action: 'hide-all', keys: ['H'], description: 'hide / show all masks', context: 'view' },
  { action: 'outline', keys: ['O'], description: 'outline mode', context: 'view' },
  { action: 'compare', keys: ['C'], description: 'compare with the pre-fill', context: 'view' },
  { action: 'fit', keys: ['F'], description: 'fit', context: 'view' },
  { action: 'one-to-one', keys: ['1'], description: 'zoom 1:1', context: 'view' },
  { action: 'undo', keys: ['Ctrl+Z'], description: 'undo', context: 'edit' },
  { action: 'redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], description: 'redo', context: 'edit' },
  { action: 'next', keys: ['D'], description: 'next item', context: 'items' },
  { action: 'previous', keys: ['A'], description: 'previous item', context: 'items' },
  { action: 'submit', keys: ['Ctrl+Enter'], description: 'submit', context: 'items' },
  { action: 'save', keys: ['Ctrl+S'], description: 'save the draft now', context: 'items' },
  { action: 'escape', keys: ['Escape'], description: 'deselect, close', context: 'edit' },
  { action: 'help', keys: ['?'], description: 'this list', context: 'view' },
];

/** The user's own keys per action (replacing the defaults of that action). */
export type KeyOverrides = Partial<Record<KeyAction, string[]>>;

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

const NAMED = new Set(['Enter', 'Escape', 'Tab', 'Backspace', 'Delete', 'Home', 'End', 'PageUp', 'PageDown',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Insert', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9',
  'F10', 'F11', 'F12']);
const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta', 'CapsLock', 'AltGraph']);

/**
 * The chord of a key press: "Ctrl+" (also Cmd), "Alt+", "Shift+" and the key, letters upper case. Shift counts for
 * letters and named keys only: "?" already says it was typed with Shift. Null for a bare modifier or Space (the
 * canvas's pan).
 */
export function chordOf(e: KeyLike): string | null {
  const k = e.key;
  if (!k || MODIFIER_KEYS.has(k) || k === ' ' || k === 'Unidentified' || k === 'Dead') {
    return null;
  }
  const letter = k.length === 1 && k.toLowerCase() !== k.toUpperCase();
  const named = NAMED.has(k);
  if (!letter && !named && k.length !== 1) {
    return null;
  }
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) {
    parts.push('Ctrl');
  }
  if (e.altKey) {
    parts.push('Alt');
  }
  if (e.shiftKey && (letter || named)) {
    parts.push('Shift');
  }
  parts.push(letter ? k.toUpperCase() : k);
  return parts.join('+');
}

/** Whether a chord is one the map can hold (the form chordOf writes). */
export function validChord(chord: string): boolean {
  const m = /^(Ctrl\+)?(Alt\+)?(Shift\+)?(.+)$/.exec(chord);
  if (!m) {
    return false;
  }
  const key = m[4];
  const letter = /^[A-Z]$/.test(key);
  return letter || NAMED.has(key) || (key.length === 1 && key !== ' ' && !/[a-z]/.test(key) && !m[3]);
}

/** Every rebindable action with its keys now: the user's where they chose, else the defaults. */
export function effectiveKeys(overrides: KeyOverrides = {}): Map<KeyAction, readonly string[]> {
  const out = new Map<KeyAction, readonly string[]>();
  for (const b of KEYMAP) {
    if (b.action) {
      out.set(b.action, overrides[b.action] ?? b.keys);
    }
  }
  return out;
}

/** The action a key press stands for, or null. An unbound Shift+letter falls back to the letter (B and b alike). */
export function actionFor(e: KeyLike, overrides: KeyOverrides = {}): KeyAction | null {
  const chord = chordOf(e);
  if (!chord) {
    return null;
  }
  const byChord = new Map<string, KeyAction>();
  for (const [action, keys] of effectiveKeys(overrides)) {
    keys.forEach((k) => byChord.set(k, action));
  }
  const found = byChord.get(chord);
  if (found) {
    return found;
  }
  const unshifted = chord.replace(/(^|\+)Shift\+(?=[A-Z]$)/, '$1');
  return unshifted !== chord ? byChord.get(unshifted) ?? null : null;
}

/** Pairs of actions sharing a chord: [chord, actions]. Empty when the map is unambiguous. */
export function conflicts(overrides: KeyOverrides = {}): [string, KeyAction[]][] {
  const byChord = new Map<string, KeyAction[]>();
  for (const [action, keys] of effectiveKeys(overrides)) {
    keys.forEach((k) => byChord.set(k, [...(byChord.get(k) ?? []), action]));
  }
  return [...byChord.entries()].filter(([, actions]) => actions.length > 1);
}

export class KeymapError extends Error {}

/**
 * Binds `chord` to `action` (replacing that action's keys). Refused with the action that holds it already, unless
 * `steal`: then that action loses the chord (and keeps its other keys; an action left without keys is allowed, it
 * is still in the list, unbound).
 */
export function rebind(overrides: KeyOverrides, action: KeyAction, chord: string, steal = false): KeyOverrides {
  if (!validChord(chord)) {
    throw new KeymapError(`"${chord}" is not a key the editor can bind`);
  }
  const keys = effectiveKeys(overrides);
  if (!keys.has(action)) {
    throw new KeymapError(`no action ${action}`);
  }
  const next: KeyOverrides = { ...overrides, [action]: [chord] };
  for (const [other, otherKeys] of keys) {
    if (other !== action && otherKeys.includes(chord)) {
      if (!steal) {
        throw new KeymapError(`${chord} is already "${describe(other)}"`);
      }
      next[other] = otherKeys.filter((k) => k !== chord);
    }
  }
  return next;
}

/** A row of the `?` list: the actions it is for (none: shown only), their keys and what they do. */
export interface ShortcutRow {
  actions: KeyAction[];
  keys: string;
  description: string;
}

/** The `?` list from the table, the user's keys on top; a group's actions share one row. */
export function shortcutList(overrides: KeyOverrides = {}): ShortcutRow[] {
  const keys = effectiveKeys(overrides);
  const keysOf = (b: KeyBinding) => (b.action ? keys.get(b.action) ?? [] : b.keys).join(', ') || '(none)';
  const rows: ShortcutRow[] = [];
  const groupsDone = new Set<string>();
  for (const b of KEYMAP) {
    if (!b.group) {
      rows.push({ actions: b.action ? [b.action] : [], keys: keysOf(b), description: b.description });
    } else if (!groupsDone.has(b.group)) {
      groupsDone.add(b.group);
      const members = KEYMAP.filter((m) => m.group === b.group);
      rows.push({
        actions: members.map((m) => m.action as KeyAction),
        keys: members.map(keysOf).join(' / '),
        // "brush size smaller" + "brush size larger" → "brush size smaller / larger"
        description: [members[0].description, ...members.slice(1).map((m) => m.description.split(' ').pop())]
          .join(' / '),
      });
    }
  }
  return rows;
}

/** The action back to its default keys. */
export function resetBinding(overrides: KeyOverrides, action: KeyAction): KeyOverrides {
  const next = { ...overrides };
  delete next[action];
  return next;
}

export function describe(action: KeyAction): string {
  return KEYMAP.find((b) => b.action === action)?.description ?? action;
}

/** Reads stored overrides, keeping only known actions and valid chords (a stale or edited store cannot break keys). */
export function parseOverrides(json: string | null | undefined): KeyOverrides {
  if (!json) {
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return {};
  }
  const known = new Set(KEYMAP.map((b) => b.action).filter((a) => a !== null));
  const out: KeyOverrides = {};
  for (const [action, keys] of Object.entries(raw as Record<string, unknown>)) {
    if (known.has(action as KeyAction) && Array.isArray(keys)
        && keys.every((k) => typeof k === 'string' && validChord(k))) {
      out[action as KeyAction] = keys as string[];
    }
  }
  return out;
}

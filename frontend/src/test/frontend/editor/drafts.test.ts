import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActivityClock, chooseDraft, DraftSaver, readLocalDraft, type DraftStore, type SaveState } from '../../../main/frontend/editor/drafts.ts';

/** Fake time: timers run when the test advances the clock. */
function clock() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const id = ++seq;
        pending.set(id, { at: now + ms, fn });
        return id;
      },
      clearTimeout: (h: unknown) => { pending.delete(h as number); },
    },
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const next = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) {
          break;
        }
        pending.delete(next[0]);
        now = next[1].at;
        next[1].fn();
        await new Promise((r) => setImmediate(r));
      }
      now = until;
      await new Promise((r) => setImmediate(r));
    },
  };
}

function memoryStore(): DraftStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => { data.set(k, v); }, removeItem: (k) => { data.delete(k); } };
}

test('a change is saved within the delay, once, with the latest document', async () => {
  const t = clock();
  const sent: string[] = [];
  const states: SaveState[] = [];
  let doc = 'v1';
  const saver = new DraftSaver({ save: async (j) => { sent.push(j); }, snapshot: () => doc, storageKey: 'k',
    delayMs: 1500, now: t.now, timers: t.timers, onState: (s) => states.push(s) });
  saver.changed();
  doc = 'v2';
  saver.changed();
  assert.equal(saver.state, 'unsaved');
  assert.ok(saver.hasUnsaved);
  await t.advance(1000);
  assert.deepEqual(sent, []);
  await t.advance(600);
  assert.deepEqual(sent, ['v2']);
  assert.equal(saver.state, 'saved');
  assert.equal(saver.hasUnsaved, false);
  assert.deepEqual(states, ['unsaved', 'saving', 'saved']);
});

test('failures go offline, keep a local copy and retry with backoff until saved', async () => {
  const t = clock();
  const store = memoryStore();
  let up = false;
  let tries = 0;
  const saver = new DraftSaver({
    save: async () => { tries++; if (!up) { throw new Error('connection lost'); } },
    snapshot: () => 'work', storage: store, storageKey: 'draft.1.ann', baseRevisionId: 7,
    delayMs: 1500, now: t.now, timers: t.timers,
  });
  saver.changed();
  await t.advance(1500);
  assert.equal(saver.state, 'offline');
  assert.equal(saver.error, 'connection lost');
  const local = readLocalDraft(store, 'draft.1.ann');
  assert.deepEqual(local && [local.json, local.onServer, local.baseRevisionId], ['work', false, 7]);
  await t.advance(1000); // retry 1 after 1 s
  assert.equal(tries, 2);
  await t.advance(1999); // retry 2 after 2 s: not yet
  assert.equal(tries, 2);
  up = true;
  await t.advance(1);
  assert.equal(tries, 3);
  assert.equal(saver.state, 'saved');
  assert.equal(readLocalDraft(store, 'draft.1.ann')?.onServer, true);
});

test('a change during a save is saved right after it', async () => {
  const t = clock();
  const sent: string[] = [];
  let release: () => void = () => {};
  let doc = 'a';
  const saver = new DraftSaver({
    save: (j) => { sent.push(j); return new Promise<void>((r) => { release = r; }); },
    snapshot: () => doc, storageKey: 'k', delayMs: 100, now: t.now, timers: t.timers,
  });
  saver.changed();
  await t.advance(100);
  doc = 'b';
  saver.changed();
  assert.equal(saver.state, 'unsaved');
  release();
  await t.advance(0);
  assert.equal(saver.state, 'unsaved');
  await t.advance(100);
  release();
  await t.advance(0);
  assert.deepEqual(sent, ['a', 'b']);
  assert.equal(saver.state, 'saved');
});

test('the local copy wins only when it holds work the server does not have', () => {
  const local = { json: 'mine', changedAt: 2000, baseRevisionId: 5, onServer: false };
  assert.equal(chooseDraft(local, { json: 'server', savedAt: 1000 }, 5, 'rev').source, 'local');
  assert.equal(chooseDraft(local, { json: 'server', savedAt: 3000 }, 5, 'rev').source, 'server');
  assert.equal(chooseDraft({ ...local, onServer: true }, null, 5, 'rev').source, 'revision');
  assert.equal(chooseDraft({ ...local, baseRevisionId: 4 }, null, 5, 'rev').source, 'revision');
  assert.deepEqual(chooseDraft(local, null, 5, 'rev'), { json: 'mine', source: 'local' });
});

test('active time counts input gaps up to 30 s', () => {
  const c = new ActivityClock(30_000);
  assert.equal(c.seconds(1000), 0);
  c.touch(0);
  c.touch(10_000);
  c.touch(100_000); // a 90 s pause counts 30 s
  assert.equal(c.seconds(100_000), 40);
  assert.equal(c.seconds(105_000), 45);
  assert.equal(c.seconds(500_000), 70);
});

/**
 * Autosave of the editor's draft. After any change the draft goes to the server within `delayMs` (one save in
 * flight at a time; changes made meanwhile go in the next one). A failed save leaves the state `offline` and is
 * retried with exponential backoff (1 s, 2 s, 4 s … up to `maxBackoffMs`); the work is never dropped. Every save
 * attempt (and {@link DraftSaver.flushLocal}, on page hide) also writes a copy to local storage keyed by item and
 * user, so a browser crash or a lost connection loses nothing: {@link chooseDraft} restores the local copy when it
 * is newer than what the server has.
 */

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'offline';

/** localStorage, or anything with its three methods (tests). */
export interface DraftStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The local copy: the document JSON, when it was changed, and whether the server has this very version. */
export interface LocalDraft {
  json: string;
  changedAt: number;
  baseRevisionId: number | null;
  onServer: boolean;
}

export interface DraftSaverOptions {
  /** sends the draft; resolves when the server stored it, rejects (or throws) when it did not */
  save: (json: string) => Promise<unknown>;
  /** the document as JSON now */
  snapshot: () => string;
  storage?: DraftStore | null;
  storageKey: string;
  baseRevisionId?: number | null;
  delayMs?: number;
  maxBackoffMs?: number;
  onState?: (state: SaveState, error: string | null) => void;
  now?: () => number;
  timers?: Timers;
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class DraftSaver {
  private readonly opts: DraftSaverOptions;
  private readonly delayMs: number;
  private readonly maxBackoffMs: number;
  private readonly timers: Timers;
  private readonly now: () => number;
  private timer: unknown = null;
  private inFlight = false;
  /** changes counted; `savedVersion` is the change count the server last confirmed */
  private version = 0;
  private savedVersion = 0;
  private failures = 0;
  private changedAt = 0;
  private current: SaveState = 'saved';
  private lastError: string | null = null;
  private stopped = false;
  baseRevisionId: number | null;

  constructor(opts: DraftSaverOptions) {
    this.opts = opts;
    this.delayMs = opts.delayMs ?? 1500;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.timers = opts.timers ?? defaultTimers;
    this.now = opts.now ?? (() => Date.now());
    this.baseRevisionId = opts.baseRevisionId ?? null;
  }

  get state(): SaveState {
    return this.current;
  }

  get error(): string | null {
    return this.lastError;
  }

  /** Unsaved work: something changed that the server does not have yet. */
  get hasUnsaved(): boolean {
    return this.version !== this.savedVersion;
  }

  /** The document changed: save it within `delayMs`. */
  changed() {
    if (this.stopped) {
      return;
    }
    this.version++;
    this.changedAt = this.now();
    if (this.current !== 'offline') {
      this.set('unsaved', null);
    }
    if (!this.inFlight && this.failures === 0) {
      this.schedule(this.delayMs);
    }
  }

  /** Save now (e.g. before submit or navigation); resolves when the server has the current version. */
  async flush(): Promise<void> {
    this.cancelTimer();
    while (this.hasUnsaved && !this.stopped) {
      if (this.inFlight) {
        await new Promise((r) => this.timers.setTimeout(() => r(null), 20));
        continue;
      }
      const ok = await this.attempt();
      if (!ok) {
        throw new Error(this.lastError ?? 'draft not saved');
      }
    }
  }

  /** Writes the local copy now (page hide, before unload): synchronous. */
  flushLocal() {
    if (this.hasUnsaved) {
      this.writeLocal(this.opts.snapshot(), false);
    }
  }

  /** No more saves (the item was submitted or the editor closed); forgets the local copy when nothing is unsaved. */
  stop() {
    this.stopped = true;
    this.cancelTimer();
  }

  /** The draft is gone on purpose (submitted, discarded): drop the local copy and the unsaved mark. */
  forget() {
    this.savedVersion = this.version;
    this.opts.storage?.removeItem(this.opts.storageKey);
    this.set('saved', null);
  }

  private schedule(ms: number) {
    this.cancelTimer();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.attempt();
    }, ms);
  }

  private cancelTimer() {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private async attempt(): Promise<boolean> {
    if (this.inFlight || this.stopped || !this.hasUnsaved) {
      return !this.hasUnsaved;
    }
    this.inFlight = true;
    const version = this.version;
    let json: string;
    try {
      json = this.opts.snapshot();
    } catch (e) {
      this.inFlight = false;
      this.set('offline', String(e));
      return false;
    }
    this.writeLocal(json, false);
    this.set('saving', null);
    try {
      await this.opts.save(json);
      this.inFlight = false;
      this.failures = 0;
      this.savedVersion = Math.max(this.savedVersion, version);
      if (this.hasUnsaved) {
        this.set('unsaved', null);
        this.schedule(this.delayMs);
      } else {
        this.writeLocal(json, true);
        this.set('saved', null);
      }
      return true;
    } catch (e) {
      this.inFlight = false;
      this.failures++;
      this.set('offline', e instanceof Error ? e.message : String(e));
      if (!this.stopped) {
        this.schedule(this.backoff());
      }
      return false;
    }
  }

  /** The wait before retry n (1 s, 2 s, 4 s, … capped). */
  backoff(): number {
    return Math.min(this.maxBackoffMs, 1000 * 2 ** Math.max(0, this.failures - 1));
  }

  private writeLocal(json: string, onServer: boolean) {
    const storage = this.opts.storage;
    if (!storage) {
      return;
    }
    const copy: LocalDraft = { json, changedAt: this.changedAt || this.now(), baseRevisionId: this.baseRevisionId, onServer };
    try {
      storage.setItem(this.opts.storageKey, JSON.stringify(copy));
    } catch {
      // storage full or disabled: the server copy is what counts
    }
  }

  private set(state: SaveState, error: string | null) {
    const changed = state !== this.current || error !== this.lastError;
    this.current = state;
    this.lastError = error;
    if (changed) {
      this.opts.onState?.(state, error);
    }
  }
}

/** The local copy under `key`, or null when there is none or it is unreadable. */
export function readLocalDraft(storage: DraftStore | null | undefined, key: string): LocalDraft | null {
  if (!storage) {
    return null;
  }
  try {
    const raw = storage.getItem(key);
    if (!raw) {
      return null;
    }
    const d = JSON.parse(raw) as LocalDraft;
    return typeof d.json === 'string' && typeof d.changedAt === 'number' ? d : null;
  } catch {
    return null;
  }
}

/** The storage key of an item's local copy for one user. */
export function localDraftKey(itemId: number | string, user: string): string {
  return `grounding-studio.draft.${itemId}.${user}`;
}

/**
 * Which document to open with: the local copy when it holds work the server does not have (not confirmed saved,
 * changed after the server's draft, same base revision), else the server's draft, else the revision itself.
 */
export function chooseDraft(local: LocalDraft | null, server: { json: string; savedAt: number } | null,
                            baseRevisionId: number | null, revisionJson: string):
    { json: string; source: 'local' | 'server' | 'revision' } {
  const localUsable = local !== null && !local.onServer && (local.baseRevisionId ?? null) === (baseRevisionId ?? null)
      && (server === null || local.changedAt > server.savedAt) && local.json !== server?.json;
  if (localUsable) {
    return { json: local.json, source: 'local' };
  }
  if (server) {
    return { json: server.json, source: 'server' };
  }
  return { json: revisionJson, source: 'revision' };
}

/**
 * Active editing time: the time during which there was input in the last 30 s. Each input counts the time since the
 * one before it, up to 30 s; after the last input, up to 30 s more.
 */
export class ActivityClock {
  private activeMs = 0;
  private last: number | null = null;
  private readonly windowMs: number;

  constructor(windowMs = 30_000) {
    this.windowMs = windowMs;
  }

  touch(now: number) {
    if (this.last !== null) {
      this.activeMs += Math.max(0, Math.min(now - this.last, this.windowMs));
    }
    this.last = now;
  }

  seconds(now: number): number {
    const tail = this.last === null ? 0 : Math.max(0, Math.min(now - this.last, this.windowMs));
    return (this.activeMs + tail) / 1000;
  }
}

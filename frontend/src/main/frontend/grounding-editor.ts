import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import './editor/mask-canvas-editor';
import type { CanvasMaskLayer, MaskCanvasEditor, MaskPatch, MaskTool } from './editor/mask-canvas-editor';
import { decodeRleMasks, encodeRle, rleBounds, rleCountsFromString, rleCountsToBitmap } from './editor/rle';
import {
  deleteMask, deletePhrase, DocumentError, editText, EditorDocument, makePhrase, maskId, mergePhrases, moveMask,
  phraseOfMask, problems, respanPhrase, setAccepted, splitPhrase, unresolvedProblems,
  type DocState, type DocumentJson, type MaskCodec, type Problem,
} from './editor/document';
import { History } from './editor/history';
import { ActivityClock, chooseDraft, DraftSaver, readLocalDraft, type SaveState } from './editor/drafts';
import { diffEdit, SpanError } from './editor/spans';
import { compare, type CompareSummary } from './editor/compare';
import {
  actionFor, chordOf, describe, parseOverrides, rebind, resetBinding, shortcutList,
  type KeyAction, type KeyOverrides,
} from './editor/keymap';

/** What the server hands over when the editor opens an item (MaskEditor.setSession on the Java side). */
interface EditorSession {
  itemId: number;
  user: string;
  imageUrl: string;
  imageWidth: number;
  imageHeight: number;
  /** the latest revision as a document, null for an item without revisions */
  revision: DocumentJson | null;
  baseRevisionId: number | null;
  /** this user's draft on the server */
  draft: { document: DocumentJson; savedAt: number; conflictRevisionId: number | null } | null;
  /** the latest model revision (pre-fill), to compare with */
  prefill: DocumentJson | null;
  /** whether this user may edit the item, and why not (sent with every session: a new item starts from these) */
  readOnly?: boolean;
  lockMessage?: string;
  /** the reviewer's open comments; a target names a phrase or mask by its stable id (phrase:<id>, mask:<id>) */
  comments?: ReviewNote[];
  /** this user's own key bindings (JSON of editor/keymap.ts KeyOverrides), "" for the defaults */
  keymap?: string;
}

interface ReviewNote {
  author: string;
  target: string | null;
  comment: string;
}

interface ServerResult {
  ok: boolean;
  result?: 'submitted' | 'rejected' | 'conflict';
  message?: string;
  lockLost?: boolean;
  problems?: string[];
  theirs?: DocumentJson;
  theirsRevisionId?: number;
  theirsAuthor?: string;
}

/** @ClientCallable methods of studio.grounding.annotation.ui.MaskEditor */
interface EditorServer {
  saveDraft(json: string): Promise<string>;
  submit(json: string, activeSeconds: number): Promise<string>;
  heartbeat(): Promise<boolean>;
  next(): Promise<void>;
  previous(): Promise<void>;
  takeTheirs(): Promise<string>;
  keepMine(theirsRevisionId: number): Promise<void>;
  saveKeymap(json: string): Promise<void>;
}

/** Phrase colours (the item view's palette); phrase with id n gets PALETTE[n % length]. */
const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45',
  '#fabed4', '#469990', '#dcbeff', '#9a6324'];
const UNLINKED = '#bdbdbd';
const HEARTBEAT_MS = 30_000;

function rgb(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}


/**
 * <grounding-editor>: the annotator's workspace for one item. The photo with its masks (<mask-canvas-editor>) and a
 * toolbar; the caption as free text with the phrases highlighted in their mask colours (spans move with edits); the
 * phrases with their masks; the problems a submit must resolve or accept; what changed against the model pre-fill.
 * Undo/redo over text, phrase and mask edits; the draft autosaves within ~2 s and is kept in local storage.
 * Talks to the server only through the Java wrapper's @ClientCallable methods ($server).
 */
export class GroundingEditor extends LitElement {
  static properties = {
    session: { type: String },
    readOnly: { type: Boolean, attribute: 'read-only' },
    lockMessage: { type: String, attribute: 'lock-message' },
    submitLabel: { type: String, attribute: 'submit-label' },
    tool: { state: true },
    brushSize: { state: true },
    wandTolerance: { state: true },
    opacity: { state: true },
    outline: { state: true },
    hideAll: { state: true },
    compareOn: { state: true },
    selectedPhrase: { state: true },
    selectedMask: { state: true },
    hoverPhrase: { state: true },
    saveState: { state: true },
    saveError: { state: true },
    notice: { state: true },
    zoom: { state: true },
    showHelp: { state: true },
    rebinding: { state: true },
    keymapMessage: { state: true },
    keyOverrides: { state: true },
    conflict: { state: true },
    submitProblems: { state: true },
    rev: { state: true },
  };

  static styles = css`
    :host {
      display: grid;
      grid-template-columns: minmax(0, 1fr) 420px;
      grid-template-rows: auto minmax(0, 1fr);
      height: 100%;
      min-height: 400px;
      font-family: var(--lumo-font-family, sans-serif);
      font-size: var(--lumo-font-size-s, 14px);
      color: var(--lumo-body-text-color, #222);
    }
    .toolbar {
      grid-column: 1 / 3;
      display: flex;
      flex-wrap: wrap;
      gap: 4px 10px;
      align-items: center;
      padding: 4px 8px;
      border-bottom: 1px solid var(--lumo-contrast-10pct, #ddd);
    }
    .toolbar .group { display: flex; gap: 2px; align-items: center; }
    button {
      font: inherit;
      padding: 2px 8px;
      border: 1px solid var(--lumo-contrast-20pct, #ccc);
      border-radius: 4px;
      background: var(--lumo-base-color, #fff);
      cursor: pointer;
    }
    button[aria-pressed='true'] { background: var(--lumo-primary-color, #1676f3); color: #fff; }
    button:disabled { opacity: 0.45; cursor: default; }
    button.primary { background: var(--lumo-primary-color, #1676f3); color: #fff; border-color: transparent; }
    label { display: inline-flex; gap: 4px; align-items: center; }
    input[type='range'] { width: 90px; }
    input[type='number'] { width: 52px; }
    .canvas-box { position: relative; min-width: 0; min-height: 0; }
    mask-canvas-editor { position: absolute; inset: 0; }
    .side {
      overflow: auto;
      padding: 8px 12px;
      border-left: 1px solid var(--lumo-contrast-10pct, #ddd);
    }
    h4 { margin: 12px 0 4px; font-size: 1em; }
    .save-state { font-size: 0.9em; padding: 1px 6px; border-radius: 8px; background: var(--lumo-contrast-5pct, #eee); }
    .save-state[data-state='saved'] { color: var(--lumo-success-text-color, #176); }
    .save-state[data-state='offline'] { color: #fff; background: var(--lumo-error-color, #d33); }
    .banner { padding: 6px 8px; margin-bottom: 6px; border-radius: 4px; background: var(--lumo-contrast-5pct, #f2f2f2); }
    .banner.warn { background: #fff4d6; }
    .banner.error { background: #ffe1e1; }
    .caption-box { position: relative; }
    .caption-backdrop, textarea.caption {
      box-sizing: border-box;
      width: 100%;
      margin: 0;
      padding: 6px 8px;
      border: 1px solid var(--lumo-contrast-30pct, #bbb);
      border-radius: 4px;
      font: 16px/1.6 var(--lumo-font-family, sans-serif);
      white-space: pre-wrap;
      overflow-wrap: break-word;
      letter-spacing: normal;
    }
    .caption-backdrop {
      position: absolute;
      inset: 0;
      color: transparent;
      border-color: transparent;
      overflow: hidden;
      pointer-events: none;
    }
    .caption-backdrop mark { color: transparent; border-radius: 3px; background: var(--c); opacity: 0.35; }
    .caption-backdrop mark.on { opacity: 0.7; outline: 2px solid var(--c); }
    textarea.caption {
      position: relative;
      display: block;
      background: transparent;
      resize: none;
      field-sizing: content;
      min-height: 3.4em;
    }
    .actions { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0; }
    ul { list-style: none; padding: 0; margin: 0; }
    .review-notes { margin: 2px 0 0; padding-left: 18px; font-size: var(--lumo-font-size-xs, 12px); }
    .review-note { color: var(--lumo-error-text-color, #b00020); }
    li.phrase-row { padding: 4px 6px; border-radius: 4px; border: 1px solid transparent; cursor: pointer; }
    li.phrase-row.selected { border-color: var(--lumo-primary-color, #1676f3); background: var(--lumo-primary-color-10pct, #e8f0fe); }
    li.phrase-row.hover { background: var(--lumo-contrast-5pct, #f2f2f2); }
    .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: middle; margin-right: 4px; }
    .flagged { color: var(--lumo-error-text-color, #c22); text-decoration: line-through; }
    .span-range { color: var(--lumo-secondary-text-color, #777); font-size: 0.85em; margin-left: 4px; }
    .masks { display: flex; flex-wrap: wrap; gap: 3px; margin-top: 3px; }
    .chip { display: inline-flex; align-items: center; gap: 2px; border: 1px solid var(--lumo-contrast-20pct, #ccc); border-radius: 10px; padding: 0 2px 0 6px; }
    .chip.selected { border-color: var(--lumo-primary-color, #1676f3); background: var(--lumo-primary-color-10pct, #e8f0fe); }
    .chip button { border: none; padding: 0 4px; background: transparent; }
    .chip select { width: 2.4em; border: none; background: transparent; }
    .problem { display: flex; justify-content: space-between; gap: 6px; align-items: center; padding: 2px 0; }
    .problem.accepted { color: var(--lumo-secondary-text-color, #777); }
    .help {
      position: fixed; inset: 0; background: rgba(0, 0, 0, 0.35); display: flex; align-items: center;
      justify-content: center; z-index: 10;
    }
    .help > div { background: #fff; padding: 16px 20px; border-radius: 8px; max-height: 80vh; overflow: auto; }
    .help td:first-child { font-family: monospace; padding-right: 16px; white-space: nowrap; }
    .muted { color: var(--lumo-secondary-text-color, #777); }
  `;

  declare session: string;
  declare readOnly: boolean;
  declare lockMessage: string;
  /** the submit button's label ("Fix and accept" when a reviewer edits a submitted item) */
  declare submitLabel: string;
  declare tool: MaskTool;
  declare brushSize: number;
  declare wandTolerance: number;
  declare opacity: number;
  declare outline: boolean;
  declare hideAll: boolean;
  declare compareOn: boolean;
  declare selectedPhrase: number;
  declare selectedMask: string | null;
  declare hoverPhrase: number;
  declare saveState: SaveState;
  declare saveError: string | null;
  declare notice: string;
  declare zoom: number;
  declare showHelp: boolean;
  /** the action whose key the next key press sets, in the ? list */
  declare rebinding: KeyAction | null;
  declare keymapMessage: string;
  declare keyOverrides: KeyOverrides;
  private keymapSteal = false;
  declare conflict: ServerResult | null;
  declare submitProblems: string[];
  /** bumped on every document change, so the template re-renders */
  declare rev: number;

  declare $server?: EditorServer;

  doc: EditorDocument | null = null;
  private info: EditorSession | null = null;
  readonly history = new History<DocState, MaskPatch>();
  private saver: DraftSaver | null = null;
  /** the saver's own state; shown as 'offline' while Vaadin has lost the server (its calls then wait, unanswered) */
  private saverState: SaveState = 'saved';
  private connectionLost = false;
  private readonly activity = new ActivityClock();
  private readonly hiddenMasks = new Set<string>();
  private readonly bounds = new WeakMap<Uint8Array, { x: number; y: number; w: number; h: number } | null>();
  private layerCache = new Map<string, CanvasMaskLayer>();
  private layers: CanvasMaskLayer[] = [];
  private compareLayers: CanvasMaskLayer[] = [];
  private prefillDoc: EditorDocument | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private selBefore: [number, number] = [0, 0];
  private compareSummary: CompareSummary | null = null;
  private compareRev = -1;

  readonly codec: MaskCodec = {
    decode: (counts, height, width) => {
      const runs = rleCountsFromString(counts);
      const bitmap = rleCountsToBitmap(runs, height, width);
      this.bounds.set(bitmap, rleBounds(runs, height, width));
      return bitmap;
    },
    encode: encodeRle,
  };

  constructor() {
    super();
    this.session = '';
    this.readOnly = false;
    this.lockMessage = '';
    this.submitLabel = 'Submit';
    this.tool = 'select';
    this.brushSize = 12;
    this.wandTolerance = 32;
    this.opacity = 0.5;
    this.outline = false;
    this.hideAll = false;
    this.compareOn = false;
    this.selectedPhrase = -1;
    this.selectedMask = null;
    this.hoverPhrase = -1;
    this.saveState = 'saved';
    this.saveError = null;
    this.notice = '';
    this.zoom = 1;
    this.showHelp = false;
    this.rebinding = null;
    this.keymapMessage = '';
    this.keyOverrides = {};
    this.conflict = null;
    this.submitProblems = [];
    this.rev = 0;
  }

  // ---------------------------------------------------------------- lifecycle

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey, true);
    window.addEventListener('beforeunload', this.onBeforeUnload);
    window.addEventListener('pagehide', this.onPageHide);
    vaadinConnection()?.addStateChangeListener(this.onConnection);
    if (this.info && !this.readOnly) {
      this.startHeartbeat();
    }
  }

  disconnectedCallback() {
    window.removeEventListener('keydown', this.onKey, true);
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    window.removeEventListener('pagehide', this.onPageHide);
    vaadinConnection()?.removeStateChangeListener(this.onConnection);
    this.stopHeartbeat();
    // Vaadin may detach and re-attach the element while it builds the page: keep the saver alive, just make sure
    // nothing is lost should this be the end
    if (this.saver) {
      this.saver.flushLocal();
      this.saver.flush().catch(() => undefined);
    }
    super.disconnectedCallback();
  }

  protected willUpdate(changed: PropertyValues) {
    if (changed.has('session') && this.session) {
      this.open(JSON.parse(this.session) as EditorSession);
    }
    if (changed.has('readOnly')) {
      if (this.readOnly) {
        this.stopHeartbeat();
      } else if (this.info) {
        this.startHeartbeat();
      }
    }
  }

  get canvas(): MaskCanvasEditor | null {
    return this.renderRoot?.querySelector('mask-canvas-editor') ?? null;
  }

  private get textarea(): HTMLTextAreaElement | null {
    return this.renderRoot?.querySelector('textarea.caption') ?? null;
  }

  /** Opens an item: the local copy, the server draft or the revision, whichever holds the newest work. */
  private open(s: EditorSession) {
    performance.mark('editor-open-start');
    this.saver?.stop();
    this.info = s;
    if (s.keymap !== undefined) {
      this.keyOverrides = parseOverrides(s.keymap);
    }
    if (s.readOnly !== undefined) {
      this.readOnly = s.readOnly;
      this.lockMessage = s.lockMessage ?? '';
    }
    this.history.clear();
    this.hiddenMasks.clear();
    this.layerCache = new Map();
    this.selectedPhrase = -1;
    this.selectedMask = null;
    this.conflict = null;
    this.submitProblems = [];
    this.compareSummary = null;
    this.prefillDoc = null;
    this.compareLayers = [];
    const storageKey = `grounding-studio.draft.${s.itemId}.${s.user}`;
    const storage = safeStorage();
    const empty: DocumentJson = { caption: '', phrases: [], unlinkedMasks: [], accepted: [] };
    const chosen = chooseDraft(readLocalDraft(storage, storageKey),
        s.draft ? { json: JSON.stringify(s.draft.document), savedAt: s.draft.savedAt } : null,
        s.baseRevisionId, JSON.stringify(s.revision ?? empty));
    this.doc = EditorDocument.fromJson(chosen.json, this.codec, s.imageHeight, s.imageWidth);
    this.decodeAll(this.doc);
    this.notice = chosen.source === 'local' ? 'Restored unsaved work from this browser.'
        : chosen.source === 'server' ? 'Your draft was restored.' : '';
    if (s.draft?.conflictRevisionId) {
      this.notice = 'Your draft met a newer revision when you submitted: look at both, then submit again.';
    }
    this.saver = new DraftSaver({
      save: (json) => this.sendDraft(json),
      snapshot: () => this.documentJson(),
      storage,
      storageKey,
      baseRevisionId: s.baseRevisionId,
      onState: (state, error) => {
        this.saverState = state;
        this.saveError = error;
        this.showSaveState();
      },
    });
    this.saverState = 'saved';
    this.saveState = 'saved';
    this.setPrefillCompare(s.prefill);
    this.rebuildLayers();
    if (chosen.source === 'local' && !this.readOnly) {
      this.saver.changed();
    }
    if (!this.readOnly) {
      this.startHeartbeat();
    }
    this.rev++;
    this.updateComplete.then(() => this.canvas?.fit());
  }

  // ---------------------------------------------------------------- server

  private async sendDraft(json: string): Promise<void> {
    if (!this.$server) {
      throw new Error('not connected');
    }
    const r = JSON.parse(await this.$server.saveDraft(json)) as ServerResult;
    if (!r.ok) {
      if (r.lockLost) {
        this.lockLost(r.message ?? 'Someone else holds this item now.');
      }
      throw new Error(r.message ?? 'not saved');
    }
  }

  private lockLost(message: string) {
    this.readOnly = true;
    this.lockMessage = message;
    this.saver?.stop();
  }

  private startHeartbeat() {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(async () => {
      try {
        const ok = await this.$server?.heartbeat();
        if (ok === false) {
          this.lockLost('Your lock on this item was taken over: read-only now. Your work is in this browser.');
          this.saver?.flushLocal();
        }
      } catch {
        // offline: the save state shows it; the lease outlives a short outage
      }
    }, HEARTBEAT_MS);
  }

  private stopHeartbeat() {
    if (this.heartbeatTimer) {
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = null;
    }
  }

  /** The document as the contract's JSON (dirty masks encoded again). */
  documentJson(): string {
    return this.doc ? this.doc.toJsonString() : '';
  }

  /** Active editing time so far, in seconds (time with input in the last 30 s). */
  activeSeconds(): number {
    return this.activity.seconds(Date.now());
  }

  get state(): DocState | null {
    return this.doc?.state ?? null;
  }

  async submit() {
    if (!this.doc || this.readOnly || !this.$server) {
      return;
    }
    const open = unresolvedProblems(this.doc.state);
    if (open.length > 0) {
      this.submitProblems = open.map((p) => this.problemLabel(p));
      this.notice = 'Resolve or accept every problem before submitting.';
      return;
    }
    this.saver?.flushLocal();
    this.notice = 'Submitting…';
    const saver = this.saver;
    const session = this.session;
    const r = JSON.parse(await this.$server.submit(this.documentJson(), this.activeSeconds())) as ServerResult;
    if (this.session !== session) {
      // the server moved this element on to the next item in the same answer: this item's result is no concern
      // of the one now open (it must not turn read-only nor show "Submitted.")
      if (r.ok && r.result === 'submitted') {
        saver?.forget();
      }
      return;
    }
    if (r.ok && r.result === 'submitted') {
      this.notice = 'Submitted.';
      this.saver?.forget();
      this.saver?.stop();
      this.readOnly = true;
    } else if (r.result === 'rejected') {
      this.submitProblems = r.problems ?? [];
      this.notice = 'The server refused the submit: nothing was stored.';
    } else if (r.result === 'conflict') {
      this.conflict = r;
      this.notice = '';
      this.setPrefillCompare(r.theirs ?? null);
    } else {
      this.notice = r.message ?? 'Not submitted.';
      if (r.lockLost) {
        this.lockLost(r.message ?? 'Someone else holds this item now.');
      }
    }
  }

  private async takeTheirs() {
    if (!this.$server || !this.info) {
      return;
    }
    const r = JSON.parse(await this.$server.takeTheirs()) as { document: DocumentJson; baseRevisionId: number };
    this.saver?.forget();
    this.open({ ...this.info, revision: r.document, baseRevisionId: r.baseRevisionId, draft: null });
    this.notice = 'You now have their version; your draft was discarded.';
  }

  private async keepMine() {
    if (!this.$server || !this.conflict?.theirsRevisionId || !this.saver || !this.info) {
      return;
    }
    await this.$server.keepMine(this.conflict.theirsRevisionId);
    this.info = { ...this.info, baseRevisionId: this.conflict.theirsRevisionId };
    this.saver.baseRevisionId = this.conflict.theirsRevisionId;
    this.saver.changed();
    this.conflict = null;
    this.notice = 'Your version is now on top of theirs (theirs stays visible with Compare). Submit when ready.';
  }

  private async navigate(next: boolean) {
    try {
      await this.saver?.flush();
    } catch {
      this.saver?.flushLocal();
    }
    await (next ? this.$server?.next() : this.$server?.previous());
  }

  // ---------------------------------------------------------------- document changes

  /** Applies a new document state as one undo step. */
  commit(next: DocState, label: string, mergeKey?: string) {
    if (!this.doc || this.readOnly) {
      return;
    }
    if (!mergeKey) {
      this.history.seal();
    }
    this.history.push({ kind: 'doc', label, before: this.doc.state, after: next, mergeKey, at: Date.now() });
    this.doc.state = next;
    this.changed();
  }

  private changed() {
    this.activity.touch(Date.now());
    this.submitProblems = [];
    this.clampSelection();
    this.rebuildLayers();
    this.saver?.changed();
    this.rev++;
  }

  private tryOp(op: () => void) {
    try {
      op();
      this.notice = '';
    } catch (e) {
      if (e instanceof SpanError || e instanceof DocumentError) {
        this.notice = e.message;
      } else {
        throw e;
      }
    }
  }

  undo() {
    this.replay(true);
  }

  redo() {
    this.replay(false);
  }

  private replay(undo: boolean) {
    if (!this.doc || this.readOnly) {
      return;
    }
    const step = undo ? this.history.undo() : this.history.redo();
    if (!step) {
      return;
    }
    if (step.kind === 'doc') {
      this.doc.state = undo ? step.before : step.after;
    } else {
      const mask = this.doc.mask(step.key);
      const canvas = this.canvas;
      if (canvas) {
        canvas.applyPatch(step.key, step.patch, undo ? 'before' : 'after');
      } else {
        writePatch(mask.bitmap(this.codec), this.doc.width, step.patch, undo ? step.patch.before : step.patch.after);
      }
      mask.markDirty();
    }
    this.changed();
  }

  private clampSelection() {
    const st = this.doc?.state;
    if (!st) {
      return;
    }
    if (this.selectedPhrase >= st.phrases.length) {
      this.selectedPhrase = -1;
    }
    if (this.selectedMask !== null && phraseOfMask(st, this.selectedMask) === null) {
      this.selectedMask = null;
    }
  }

  private rebuildLayers() {
    const doc = this.doc;
    if (!doc) {
      this.layers = [];
      return;
    }
    const next = new Map<string, CanvasMaskLayer>();
    const layers: CanvasMaskLayer[] = [];
    const add = (key: string, phraseIndex: number, color: string) => {
      const bitmap = doc.mask(key).bitmap(this.codec);
      const visible = !this.hideAll && !this.hiddenMasks.has(key);
      const c = rgb(color);
      let layer = this.layerCache.get(key);
      if (!layer || layer.phraseIndex !== phraseIndex || layer.visible !== visible || layer.bitmap !== bitmap
          || layer.color.join() !== c.join()) {
        layer = { key, phraseIndex, bitmap, color: c, visible, bounds: this.bounds.get(bitmap) };
      }
      next.set(key, layer);
      layers.push(layer);
    };
    doc.state.phrases.forEach((p, i) => p.masks.forEach((k) => add(k, i, colorOf(p.id))));
    doc.state.unlinked.forEach((k) => add(k, -1, UNLINKED));
    const same = layers.length === this.layers.length && layers.every((l, i) => l === this.layers[i]);
    this.layerCache = next;
    if (!same) {
      this.layers = layers;
    }
  }

  private setPrefillCompare(json: DocumentJson | null) {
    if (!json || !this.info) {
      this.prefillDoc = null;
      this.compareLayers = [];
      return;
    }
    this.prefillDoc = EditorDocument.fromJson(json, this.codec, this.info.imageHeight, this.info.imageWidth);
    if (this.compareOn) {
      this.decodeAll(this.prefillDoc);
    }
    this.compareLayers = [];
    this.compareSummary = null;
    this.compareRev = -1;
    if (this.compareOn) {
      this.buildCompareLayers();
    }
  }

  /** Every mask of a document decoded in one batch (shared buffers, bounds from the runs). */
  private decodeAll(doc: EditorDocument) {
    try {
      doc.decodeAll(decodeRleMasks, (mask, r) => this.bounds.set(r.bitmap, r.bounds));
    } catch (e) {
      // a malformed mask: decode one by one below, so the error names the mask that fails
      console.warn('grounding-editor: batch decode failed', e);
    }
  }

  private buildCompareLayers() {
    const d = this.prefillDoc;
    if (!d || this.compareLayers.length > 0) {
      return;
    }
    this.decodeAll(d);
    const layers: CanvasMaskLayer[] = [];
    d.state.phrases.forEach((p, i) => p.masks.forEach((k) => {
      const bitmap = d.mask(k).bitmap(this.codec);
      layers.push({ key: `prefill-${k}`, phraseIndex: i, bitmap, color: rgb(colorOf(p.id)), visible: true,
        bounds: this.bounds.get(bitmap) });
    }));
    d.state.unlinked.forEach((k) => {
      const bitmap = d.mask(k).bitmap(this.codec);
      layers.push({ key: `prefill-${k}`, phraseIndex: -1, bitmap, color: rgb(UNLINKED), visible: true,
        bounds: this.bounds.get(bitmap) });
    });
    this.compareLayers = layers;
  }

  private toggleCompare() {
    if (!this.prefillDoc) {
      return;
    }
    this.compareOn = !this.compareOn;
    if (this.compareOn) {
      this.buildCompareLayers();
    }
  }

  // ---------------------------------------------------------------- caption

  private onBeforeInput = (e: InputEvent) => {
    const t = e.target as HTMLTextAreaElement;
    this.selBefore = [t.selectionStart, t.selectionEnd];
  };

  private onCaptionInput = (e: Event) => {
    const t = e.target as HTMLTextAreaElement;
    const st = this.doc?.state;
    if (!st || this.readOnly) {
      return;
    }
    const edit = diffEdit(st.caption, t.value, this.selBefore[0], this.selBefore[1], t.selectionEnd);
    if (edit.start === edit.end && edit.insert === '') {
      return;
    }
    this.commit(editText(st, edit), 'edit caption', 'caption');
  };

  private caretPhrase(): number {
    const t = this.textarea;
    const st = this.doc?.state;
    if (!t || !st) {
      return -1;
    }
    const c = t.selectionStart;
    return st.phrases.findIndex((p) => !p.flagged && p.start <= c && c <= p.end);
  }

  private onCaptionClick = () => {
    const t = this.textarea;
    this.history.seal();
    if (t && t.selectionStart === t.selectionEnd) {
      this.selectPhrase(this.caretPhrase());
    }
  };

  private onCaptionMove = (e: MouseEvent) => {
    const marks = this.renderRoot.querySelectorAll<HTMLElement>('.caption-backdrop mark');
    let hit = -1;
    for (const m of marks) {
      for (const r of m.getClientRects()) {
        if (e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom) {
          hit = Number(m.dataset.phrase);
        }
      }
    }
    if (hit !== this.hoverPhrase) {
      this.hoverPhrase = hit;
    }
  };

  private selection(): [number, number] {
    const t = this.textarea;
    return t ? [t.selectionStart, t.selectionEnd] : [0, 0];
  }

  makePhraseFromSelection() {
    this.tryOp(() => {
      const [s, e] = this.selection();
      const r = makePhrase(this.doc!.state, this.doc!.newPhraseId(), s, e);
      this.commit(r.state, 'make phrase');
      this.selectPhrase(r.index);
    });
  }

  private respanSelected() {
    this.tryOp(() => {
      if (this.selectedPhrase < 0) {
        throw new DocumentError('Select the phrase first');
      }
      const [s, e] = this.selection();
      const r = respanPhrase(this.doc!.state, this.selectedPhrase, s, e);
      this.commit(r.state, 'set phrase span');
      this.selectPhrase(r.index);
    });
  }

  private splitSelected() {
    this.tryOp(() => {
      const i = this.selectedPhrase >= 0 ? this.selectedPhrase : this.caretPhrase();
      if (i < 0) {
        throw new DocumentError('Put the cursor inside a phrase');
      }
      this.commit(splitPhrase(this.doc!.state, i, this.selection()[0], this.doc!.newPhraseId()), 'split phrase');
    });
  }

  private mergeWithNext() {
    this.tryOp(() => {
      const st = this.doc!.state;
      const i = this.selectedPhrase;
      if (i < 0 || i + 1 >= st.phrases.length) {
        throw new DocumentError('Select a phrase that has a next phrase');
      }
      const r = mergePhrases(st, i, i + 1);
      this.commit(r.state, 'merge phrases');
      this.selectPhrase(r.index);
    });
  }

  private deleteSelectedPhrase(i = this.selectedPhrase) {
    this.tryOp(() => {
      if (i < 0) {
        throw new DocumentError('Select a phrase first');
      }
      this.commit(deletePhrase(this.doc!.state, i), 'delete phrase');
      this.selectedPhrase = -1;
    });
  }

  selectPhrase(i: number) {
    this.selectedPhrase = i;
    const st = this.doc?.state;
    if (st && this.selectedMask !== null && phraseOfMask(st, this.selectedMask) !== i) {
      this.selectedMask = i >= 0 ? (st.phrases[i]?.masks[0] ?? null) : null;
    } else if (st && this.selectedMask === null && i >= 0) {
      this.selectedMask = st.phrases[i]?.masks[0] ?? null;
    }
  }

  private selectMask(key: string | null) {
    this.selectedMask = key;
    const st = this.doc?.state;
    if (st && key !== null) {
      const p = phraseOfMask(st, key);
      this.selectedPhrase = p ?? -1;
    }
  }

  // ---------------------------------------------------------------- masks

  /** A new empty mask on phrase `phrase` (-1: without phrase), selected, with the brush. */
  addMask(phrase: number) {
    if (!this.doc || this.readOnly) {
      return null;
    }
    const mask = this.doc.newMask();
    this.commit(moveMask(this.doc.state, mask.key, phrase), phrase >= 0 ? 'add mask to phrase' : 'add mask');
    this.selectedMask = mask.key;
    this.selectedPhrase = phrase;
    return mask.key;
  }

  private onNeedLayer = (e: CustomEvent) => {
    const tool = e.detail?.tool as MaskTool | undefined;
    if (this.readOnly || !this.doc || tool === 'eraser' || tool === 'polygon-subtract') {
      this.notice = 'Select a mask to edit first (click it, or pick it in the phrase list).';
      return;
    }
    const target = this.selectedPhrase >= 0 && this.selectedPhrase < this.doc.state.phrases.length
        ? this.selectedPhrase : -1;
    const key = this.addMask(target);
    const canvas = this.canvas;
    if (key && canvas) {
      // synchronously, so the stroke that asked goes on into the new mask
      canvas.layers = this.layers;
      canvas.selectedKey = key;
    }
    this.notice = target >= 0 ? '' : 'New mask without phrase: select a phrase first to draw one of its masks.';
  };

  private onMaskEdit = (e: CustomEvent<{ key: string; patch: MaskPatch }>) => {
    if (!this.doc || this.readOnly) {
      return;
    }
    const { key, patch } = e.detail;
    this.doc.mask(key).markDirty();
    this.history.seal();
    this.history.push({ kind: 'mask', label: 'mask edit', key, patch });
    this.changed();
  };

  private onMaskClick = (e: CustomEvent<{ key: string | null }>) => {
    this.selectMask(e.detail.key);
    if (e.detail.key === null) {
      this.selectedPhrase = -1;
    }
  };

  private onMaskHover = (e: CustomEvent<{ key: string | null }>) => {
    const st = this.doc?.state;
    const p = st && e.detail.key !== null ? phraseOfMask(st, e.detail.key) : null;
    this.hoverPhrase = p ?? -1;
  };

  private fillHoles(key = this.selectedMask) {
    const canvas = this.canvas;
    if (!key || !canvas || !this.doc || this.readOnly) {
      this.notice = 'Select a mask first';
      return;
    }
    const patch = canvas.fillHoles(key);
    if (!patch) {
      this.notice = 'No holes to fill.';
      return;
    }
    this.doc.mask(key).markDirty();
    this.history.seal();
    this.history.push({ kind: 'mask', label: 'fill holes', key, patch });
    this.changed();
  }

  private removeMask(key: string) {
    this.commit(deleteMask(this.doc!.state, key), 'delete mask');
  }

  private moveMaskTo(key: string, target: number) {
    this.tryOp(() => this.commit(moveMask(this.doc!.state, key, target), 'move mask'));
    this.selectMask(key);
  }

  private toggleHidden(key: string) {
    if (this.hiddenMasks.has(key)) {
      this.hiddenMasks.delete(key);
    } else {
      this.hiddenMasks.add(key);
    }
    this.rebuildLayers();
    this.rev++;
  }

  private toggleHideAll() {
    this.hideAll = !this.hideAll;
    this.rebuildLayers();
    this.rev++;
  }

  private accept(p: Problem, on: boolean) {
    this.tryOp(() => this.commit(setAccepted(this.doc!.state, p.id, on), on ? 'accept problem' : 'reopen problem'));
  }

  // ---------------------------------------------------------------- keyboard

  /** Does what a key of the keymap stands for. */
  private perform(action: KeyAction) {
    switch (action) {
      case 'undo': this.undo(); break;
      case 'redo': this.redo(); break;
      case 'submit': void this.submit(); break;
      case 'save': this.saver?.flush().catch(() => undefined); break;
      case 'brush': case 'eraser': case 'polygon-add': case 'polygon-subtract': case 'wand': case 'move':
      case 'select':
        this.tool = action; break;
      case 'brush-smaller': this.brushSize = Math.max(1, Math.round(this.brushSize / 1.25)); break;
      case 'brush-larger':
        this.brushSize = Math.min(400, Math.max(this.brushSize + 1, Math.round(this.brushSize * 1.25))); break;
      case 'hide-all': this.toggleHideAll(); break;
      case 'outline': this.outline = !this.outline; break;
      case 'compare': this.toggleCompare(); break;
      case 'fit': this.canvas?.fit(); break;
      case 'one-to-one': this.canvas?.oneToOne(); break;
      case 'next': void this.navigate(true); break;
      case 'previous': void this.navigate(false); break;
      case 'help': this.showHelp = !this.showHelp; this.rebinding = null; break;
      case 'escape':
        this.showHelp = false;
        this.rebinding = null;
        this.selectedPhrase = -1;
        this.selectedMask = null;
        break;
    }
  }

  /** The next key press becomes the key of the action being rebound (Escape cancels); a taken key is refused. */
  private captureRebind(e: KeyboardEvent) {
    const action = this.rebinding;
    const chord = chordOf(e);
    if (!action || !chord) {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
    if (chord === 'Escape') {
      this.rebinding = null;
      this.keymapMessage = '';
      return;
    }
    try {
      this.saveKeymap(rebind(this.keyOverrides, action, chord, this.keymapSteal));
      this.keymapMessage = `${describe(action)}: ${chord}`;
      this.rebinding = null;
    } catch (err) {
      this.keymapMessage = (err as Error).message + ' — press another key, or tick "take it over"';
    }
  }

  private saveKeymap(overrides: KeyOverrides) {
    this.keyOverrides = overrides;
    void this.$server?.saveKeymap(JSON.stringify(overrides));
  }

  private onKey = (e: KeyboardEvent) => {
    if (!this.isConnected || !this.doc) {
      return;
    }
    const target = e.composedPath()[0] as HTMLElement | undefined;
    const typing = !!target && (target.tagName === 'TEXTAREA' || target.isContentEditable
        || target.tagName === 'SELECT'
        || target.tagName === 'INPUT' && !/^(checkbox|radio|range|button|submit|color)$/.test((target as HTMLInputElement).type));
    const ctrl = e.ctrlKey || e.metaKey;
    if (typing && !ctrl && e.key !== 'Escape') {
      this.activity.touch(Date.now());
      return;
    }
    // another editor-like field of the page (e.g. a dialog) is not ours
    if (typing && target && !this.renderRoot.contains(target)) {
      return;
    }
    if (this.rebinding) {
      this.captureRebind(e);
      return;
    }
    // one table (editor/keymap.ts) says which key is which action, the user's own bindings on top
    const action = actionFor(e, this.keyOverrides);
    const handled = action !== null;
    if (action) {
      this.perform(action);
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
      this.activity.touch(Date.now());
    }
  };

  private onConnection = (_previous: string, current: string) => {
    this.connectionLost = current === 'reconnecting' || current === 'connection-lost';
    this.showSaveState();
  };

  /** Unsaved work while the connection is lost says "Offline", not "Saving…" (a pending call may never answer). */
  private showSaveState() {
    this.saveState = this.connectionLost && this.saverState !== 'saved' ? 'offline' : this.saverState;
  }

  private onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (this.saver?.hasUnsaved && !this.readOnly) {
      this.saver.flushLocal();
      e.preventDefault();
      e.returnValue = '';
    }
  };

  private onPageHide = () => {
    this.saver?.flushLocal();
  };

  // ---------------------------------------------------------------- rendering

  render() {
    const st = this.doc?.state;
    const ro = this.readOnly || !st;
    const highlighted = this.hoverPhrase >= 0 ? this.hoverPhrase : this.selectedPhrase;
    return html`
      <div class="toolbar" part="toolbar">
        <div class="group" role="group" aria-label="Tools">
          ${this.toolButton('select', 'Select', 'V')} ${this.toolButton('pan', 'Pan', 'Space')}
          ${this.toolButton('brush', 'Brush', 'B')} ${this.toolButton('eraser', 'Eraser', 'E')}
          ${this.toolButton('polygon-add', 'Polygon +', 'P')} ${this.toolButton('polygon-subtract', 'Polygon −', 'Shift+P')}
          ${this.toolButton('wand', 'Wand', 'W')} ${this.toolButton('move', 'Move', 'M')}
        </div>
        <label title="Brush size in image pixels ([ and ])">Size
          <input id="brush-size" type="number" min="1" max="400" .value=${String(this.brushSize)}
            @change=${(e: Event) => { this.brushSize = clampInt((e.target as HTMLInputElement).value, 1, 400, 12); }}></label>
        <label title="Magic wand colour tolerance">Tolerance
          <input id="wand-tolerance" type="range" min="0" max="255" .value=${String(this.wandTolerance)}
            @input=${(e: Event) => { this.wandTolerance = clampInt((e.target as HTMLInputElement).value, 0, 255, 32); }}></label>
        <label>Opacity
          <input id="opacity" type="range" min="0" max="100" .value=${String(Math.round(this.opacity * 100))}
            @input=${(e: Event) => { this.opacity = clampInt((e.target as HTMLInputElement).value, 0, 100, 50) / 100; }}></label>
        <label><input id="outline" type="checkbox" .checked=${this.outline}
          @change=${(e: Event) => { this.outline = (e.target as HTMLInputElement).checked; }}>Outline</label>
        <button id="hide-all" aria-pressed=${String(this.hideAll)} title="H" @click=${this.toggleHideAll}>Hide all</button>
        <button id="compare" aria-pressed=${String(this.compareOn)} ?disabled=${!this.prefillDoc}
          title="Show the model pre-fill as outlines (C)" @click=${this.toggleCompare}>Compare</button>
        <div class="group">
          <button id="fit" title="F" @click=${() => this.canvas?.fit()}>Fit</button>
          <button id="one-to-one" title="1" @click=${() => this.canvas?.oneToOne()}>1:1</button>
          <span class="muted" id="zoom">${Math.round(this.zoom * 100)}%</span>
        </div>
        <div class="group">
          <button id="undo" title="Ctrl+Z" ?disabled=${ro || !this.history.canUndo} @click=${this.undo}>Undo</button>
          <button id="redo" title="Ctrl+Shift+Z" ?disabled=${ro || !this.history.canRedo} @click=${this.redo}>Redo</button>
        </div>
        <span class="save-state" id="save-state" data-state=${this.saveState}
          title=${this.saveError ?? ''}>${saveLabel(this.saveState)}</span>
        <button id="previous" title="A" @click=${() => this.navigate(false)}>◀ Previous</button>
        <button id="next" title="D" @click=${() => this.navigate(true)}>Next ▶</button>
        <button id="submit" class="primary" title="Ctrl+Enter" ?disabled=${ro} @click=${() => this.submit()}>${this.submitLabel || 'Submit'}</button>
        <button id="help" title="?" @click=${() => { this.showHelp = true; }}>?</button>
      </div>
      <div class="canvas-box">
        <mask-canvas-editor
          .imageUrl=${this.info?.imageUrl ?? ''}
          .imageWidth=${this.info?.imageWidth ?? 0}
          .imageHeight=${this.info?.imageHeight ?? 0}
          .layers=${this.layers}
          .compareLayers=${this.compareLayers}
          .compare=${this.compareOn}
          .selectedKey=${this.selectedMask}
          .highlightedPhrase=${highlighted}
          .tool=${this.tool}
          .brushSize=${this.brushSize}
          .wandTolerance=${this.wandTolerance}
          .opacity=${this.opacity}
          .outline=${this.outline}
          .readOnly=${ro}
          @need-layer=${this.onNeedLayer}
          @mask-edit=${this.onMaskEdit}
          @mask-click=${this.onMaskClick}
          @mask-hover=${this.onMaskHover}
          @view-change=${(e: CustomEvent<{ zoom: number }>) => { this.zoom = e.detail.zoom; }}
          @pointerdown=${() => this.activity.touch(Date.now())}
        ></mask-canvas-editor>
      </div>
      <div class="side" part="side">
        ${this.banners()}
        ${st ? this.captionPanel(st, highlighted) : html`<p class="muted">Loading…</p>`}
        ${st ? this.phrasePanel(st, highlighted) : nothing}
        ${st ? this.problemPanel(st) : nothing}
        ${st && this.prefillDoc ? this.comparePanel(st) : nothing}
      </div>
      ${this.showHelp ? this.helpDialog() : nothing}
    `;
  }

  private toolButton(tool: MaskTool, label: string, key: string) {
    return html`<button data-tool=${tool} aria-pressed=${String(this.tool === tool)} title="${label} (${key})"
      @click=${() => { this.tool = tool; }}>${label}</button>`;
  }

  private banners() {
    return html`
      ${this.readOnly && this.lockMessage ? html`<div class="banner warn" id="lock-message">${this.lockMessage}</div>` : nothing}
      ${this.notice ? html`<div class="banner" id="notice">${this.notice}</div>` : nothing}
      ${this.submitProblems.length > 0 ? html`<div class="banner error" id="submit-problems">
          <strong>Not submitted:</strong><ul>${this.submitProblems.map((p) => html`<li>${p}</li>`)}</ul></div>` : nothing}
      ${this.conflict ? html`<div class="banner warn" id="conflict">
          <strong>${this.conflict.theirsAuthor ?? 'Someone'}</strong> submitted revision
          ${this.conflict.theirsRevisionId} while you worked. Nothing was overwritten: your work is kept as your draft,
          theirs is shown with Compare. Their caption: <em>${this.conflict.theirs?.caption ?? ''}</em>
          <div class="actions">
            <button id="take-theirs" @click=${() => this.takeTheirs()}>Take theirs</button>
            <button id="keep-mine" @click=${() => this.keepMine()}>Keep mine on top of theirs</button>
          </div></div>` : nothing}
    `;
  }

  private captionPanel(st: DocState, highlighted: number) {
    const ordered = st.phrases.map((p, i) => ({ p, i })).filter(({ p }) => !p.flagged && p.end > p.start)
        .sort((a, b) => a.p.start - b.p.start);
    const parts: unknown[] = [];
    let cursor = 0;
    for (const { p, i } of ordered) {
      if (p.start < cursor) {
        continue;
      }
      parts.push(st.caption.slice(cursor, p.start));
      parts.push(html`<mark data-phrase=${i} class=${i === highlighted ? 'on' : ''}
        style="--c:${colorOf(p.id)}">${st.caption.slice(p.start, p.end)}</mark>`);
      cursor = p.end;
    }
    parts.push(st.caption.slice(cursor) + '\u200b');
    return html`
      <h4>Caption</h4>
      <div class="caption-box" @mousemove=${this.onCaptionMove} @mouseleave=${() => { this.hoverPhrase = -1; }}>
        <div class="caption-backdrop" aria-hidden="true">${parts}</div>
        <textarea class="caption" id="caption" spellcheck="false" ?readonly=${this.readOnly}
          .value=${live(st.caption)}
          @beforeinput=${this.onBeforeInput} @input=${this.onCaptionInput}
          @click=${this.onCaptionClick} @keyup=${() => this.history.seal()}></textarea>
      </div>
      <div class="actions">
        <button id="make-phrase" ?disabled=${this.readOnly} @click=${this.makePhraseFromSelection}
          title="Make the selected caption text a phrase">Make phrase</button>
        <button id="respan" ?disabled=${this.readOnly || this.selectedPhrase < 0} @click=${this.respanSelected}
          title="Give the selected phrase the selected text as its span">Set span</button>
        <button id="split" ?disabled=${this.readOnly} @click=${this.splitSelected}
          title="Split the phrase at the cursor">Split</button>
        <button id="merge" ?disabled=${this.readOnly || this.selectedPhrase < 0} @click=${this.mergeWithNext}
          title="Merge the selected phrase with the next one">Merge with next</button>
        <button id="delete-phrase" ?disabled=${this.readOnly || this.selectedPhrase < 0}
          @click=${() => this.deleteSelectedPhrase()} title="Its masks stay, without phrase">Delete phrase</button>
      </div>`;
  }

  private phrasePanel(st: DocState, highlighted: number) {
    // masks are named by their stable id: adding one renames none (issue 14)
    const chip = (key: string, phrase: number) => html`
      <span class="chip ${this.selectedMask === key ? 'selected' : ''}" data-mask=${key}>
        <span @click=${(e: Event) => { e.stopPropagation(); this.selectMask(key); }}>mask ${maskId(key) + 1}</span>
        <button title="Hide / show" @click=${(e: Event) => { e.stopPropagation(); this.toggleHidden(key); }}
          >${this.hiddenMasks.has(key) ? '◌' : '●'}</button>
        ${this.readOnly ? nothing : html`
          <select class="move-mask" title="Move to phrase" @click=${(e: Event) => e.stopPropagation()}
            @change=${(e: Event) => this.moveMaskTo(key, Number((e.target as HTMLSelectElement).value))}>
            <option value="" selected disabled>→</option>
            ${st.phrases.map((p, i) => i === phrase ? nothing : html`<option value=${i}>${p.text}</option>`)}
            ${phrase === -1 ? nothing : html`<option value="-1">(no phrase)</option>`}
          </select>
          <button class="delete-mask" title="Delete mask"
            @click=${(e: Event) => { e.stopPropagation(); this.removeMask(key); }}>×</button>`}
      </span>`;
    return html`
      <h4>Phrases</h4>
      <ul id="phrases">
        ${st.phrases.map((p, i) => html`
          <li class="phrase-row ${i === this.selectedPhrase ? 'selected' : ''} ${i === highlighted ? 'hover' : ''}"
            data-phrase=${i} data-start=${p.start} data-end=${p.end} data-flagged=${String(p.flagged)}
            @click=${() => this.selectPhrase(i === this.selectedPhrase ? -1 : i)}
            @mouseenter=${() => { this.hoverPhrase = i; }} @mouseleave=${() => { this.hoverPhrase = -1; }}>
            <span class="swatch" style="background:${colorOf(p.id)}"></span>
            <span class="phrase-text ${p.flagged ? 'flagged' : ''}">${p.text}</span>
            <span class="span-range">${p.flagged ? '⚑ text deleted' : `[${p.start}, ${p.end})`}</span>
            <div class="masks">
              ${p.masks.map((k) => chip(k, i))}
              ${this.readOnly ? nothing : html`<button class="add-mask" title="Add an instance mask to this phrase"
                @click=${(e: Event) => { e.stopPropagation(); this.addMask(i); this.tool = 'brush'; }}>+ mask</button>`}
            </div>
            ${this.notesAt(`phrase:${p.id}`, p.masks)}
          </li>`)}
      </ul>
      <h4>Masks without phrase</h4>
      <div class="masks" id="unlinked-masks">
        ${st.unlinked.length === 0 ? html`<span class="muted">None</span>` : st.unlinked.map((k) => chip(k, -1))}
      </div>
      ${this.notesAt(null, st.unlinked)}
      ${this.orphanNotes(st)}
      ${this.selectedMask && !this.readOnly ? html`<div class="actions" id="mask-actions">
          <button id="fill-holes" @click=${() => this.fillHoles()}>Fill holes</button>
          <button id="clear-mask" @click=${() => this.clearMask()}>Clear</button>
          <button id="delete-mask" @click=${() => this.removeMask(this.selectedMask!)}>Delete mask</button>
        </div>` : nothing}`;
  }

  /**
   * The reviewer's comments on a phrase (`target`) and on its masks (`masks`, by their stable ids), shown at that
   * phrase: they follow it whatever was added or deleted around it.
   */
  private notesAt(target: string | null, masks: readonly string[]) {
    const targets = new Set(masks.map((k) => `mask:${maskId(k)}`));
    if (target) {
      targets.add(target);
    }
    const notes = (this.info?.comments ?? []).filter((c) => c.target !== null && targets.has(c.target));
    return notes.length === 0 ? nothing : html`<ul class="review-notes">${notes.map((c) => html`
        <li class="review-note" data-target=${c.target}>${c.target?.startsWith('mask:')
          ? `mask ${Number(c.target.slice(5)) + 1} · ` : ''}<strong>${c.author}</strong>: ${c.comment}</li>`)}</ul>`;
  }

  /** Comments on phrases or masks that are gone now (deleted since the review). */
  private orphanNotes(st: DocState) {
    const present = new Set<string>([...st.phrases.map((p) => `phrase:${p.id}`),
      ...[...st.phrases.flatMap((p) => p.masks), ...st.unlinked].map((k) => `mask:${maskId(k)}`)]);
    const gone = (this.info?.comments ?? []).filter((c) => c.target !== null && !present.has(c.target));
    return gone.length === 0 ? nothing : html`<h4>Comments on deleted phrases or masks</h4>
      <ul class="review-notes" id="orphan-notes">${gone.map((c) => html`<li class="review-note" data-target=${c.target}>
        <strong>${c.author}</strong> on ${c.target}: ${c.comment}</li>`)}</ul>`;
  }

  private clearMask() {
    const key = this.selectedMask;
    const canvas = this.canvas;
    if (!key || !canvas || !this.doc) {
      return;
    }
    const patch = canvas.clear(key);
    this.doc.mask(key).markDirty();
    this.history.seal();
    this.history.push({ kind: 'mask', label: 'clear mask', key, patch });
    this.changed();
  }

  problemLabel(p: Problem): string {
    const st = this.doc?.state;
    const phrase = st && p.phraseIndex >= 0 ? `“${st.phrases[p.phraseIndex]?.text}”` : '';
    if (p.kind === 'no-mask') {
      return `Phrase ${phrase} has no mask`;
    }
    if (p.kind === 'text-deleted') {
      return `The text of phrase ${phrase} was deleted: set its span again or delete it`;
    }
    return `Mask ${p.maskKey ? maskId(p.maskKey) + 1 : '?'} belongs to no phrase`;
  }

  private problemPanel(st: DocState) {
    const list = problems(st);
    return html`
      <h4>Problems <span class="muted">(${list.filter((p) => !p.accepted).length} open)</span></h4>
      <ul id="problems">
        ${list.length === 0 ? html`<li class="muted">None</li>` : list.map((p) => html`
          <li class="problem ${p.accepted ? 'accepted' : ''}" data-problem=${p.code}>
            <span @click=${() => (p.maskKey ? this.selectMask(p.maskKey) : this.selectPhrase(p.phraseIndex))}
              >${this.problemLabel(p)}</span>
            ${p.acceptable && !this.readOnly ? html`<label><input type="checkbox" class="accept" .checked=${p.accepted}
              @change=${(e: Event) => this.accept(p, (e.target as HTMLInputElement).checked)}>accept</label>` : nothing}
          </li>`)}
      </ul>`;
  }

  private comparePanel(st: DocState) {
    if (this.compareRev !== this.rev || !this.compareSummary) {
      const side = (d: EditorDocument, s: DocState) => ({
        caption: s.caption,
        phrases: s.phrases.map((p) => ({ text: p.text, masks: p.masks.map((k) => d.mask(k).rle(this.codec)) })),
      });
      this.compareSummary = compare(side(this.prefillDoc!, this.prefillDoc!.state), side(this.doc!, st));
      this.compareRev = this.rev;
    }
    const c = this.compareSummary;
    const row = (label: string, items: string[]) => items.length === 0 ? nothing
        : html`<li><strong>${label}:</strong> ${items.join(', ')}</li>`;
    return html`
      <h4>Changes against the pre-fill</h4>
      <ul id="compare-summary">
        ${c.unchanged ? html`<li class="muted">No changes</li>` : nothing}
        ${row('Words added', c.insertedWords)}
        ${row('Words removed', c.deletedWords)}
        ${row('Phrases added', c.phrasesAdded)}
        ${row('Phrases removed', c.phrasesRemoved)}
        ${row('Phrases re-spanned', c.phrasesRespanned.map(([a, b]) => `“${a}” → “${b}”`))}
        ${row('Masks changed', c.masksChanged)}
      </ul>`;
  }

  private helpDialog() {
    return html`<div class="help" id="shortcuts" @click=${() => { this.showHelp = false; }}>
      <div role="dialog" aria-label="Keyboard shortcuts" @click=${(e: Event) => e.stopPropagation()}>
        <h3>Keyboard shortcuts</h3>
        <table>${shortcutList(this.keyOverrides).map((row) => html`
          <tr data-action=${row.actions.join(' ')}
              class=${row.actions.some((a) => this.keyOverrides[a] !== undefined) ? 'rebound' : ''}>
            <td class="keys">${row.actions.includes(this.rebinding as KeyAction) ? 'press a key…' : row.keys}</td>
            <td>${row.description}</td>
            <td>${row.actions.map((action) => html`
              <button class="rebind" data-for=${action} title="Choose another key for: ${describe(action)}"
                @click=${() => {
                  this.rebinding = action; this.keymapMessage = `Press the new key for "${describe(action)}" (Esc: cancel)`;
                }}>${row.actions.length > 1 ? `Change ${describe(action).split(' ').pop()}` : 'Change'}</button>
              ${this.keyOverrides[action] !== undefined ? html`<button class="reset-key" title="Back to the default key"
                @click=${() => { this.saveKeymap(resetBinding(this.keyOverrides, action)); }}>Default</button>`
                : nothing}`)}</td>
          </tr>`)}</table>
        ${this.keymapMessage ? html`<p id="keymap-message">${this.keymapMessage}</p>` : nothing}
        <label class="muted"><input type="checkbox" id="keymap-steal" .checked=${this.keymapSteal}
          @change=${(e: Event) => { this.keymapSteal = (e.target as HTMLInputElement).checked; }}>
          take a key over from the action that has it</label>
        <p class="muted">Letter keys do nothing while you type in the caption; Ctrl combinations always work.
          Your keys are kept with your account.</p>
        <button @click=${() => { this.showHelp = false; this.rebinding = null; }}>Close</button>
      </div></div>`;
  }

  protected firstUpdated() {
    this.renderRoot.addEventListener('input', () => this.activity.touch(Date.now()));
  }

  protected updated(changed: PropertyValues) {
    if (changed.has('rev') || changed.has('session')) {
      performance.mark('editor-rendered');
    }
  }
}

function colorOf(id: number): string {
  return PALETTE[id % PALETTE.length];
}

function clampInt(value: string, min: number, max: number, fallback: number): number {
  const n = Math.round(Number(value));
  return Number.isFinite(n) ? Math.max(min, Math.min(max, n)) : fallback;
}

function saveLabel(state: SaveState): string {
  switch (state) {
    case 'saved': return 'Saved';
    case 'saving': return 'Saving…';
    case 'unsaved': return 'Unsaved changes';
    default: return 'Offline: retrying';
  }
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Writes a patch's pixels into a bitmap (used when no canvas is attached). */
function writePatch(bitmap: Uint8Array, width: number, patch: MaskPatch, pixels: Uint8Array) {
  for (let y = 0; y < patch.h; y++) {
    bitmap.set(pixels.subarray(y * patch.w, (y + 1) * patch.w), (patch.y + y) * width + patch.x);
  }
}

if (!customElements.get('grounding-editor')) {
  customElements.define('grounding-editor', GroundingEditor);
}

interface VaadinConnectionState {
  addStateChangeListener(listener: (previous: string, current: string) => void): void;
  removeStateChangeListener(listener: (previous: string, current: string) => void): void;
}

/** Vaadin's connection state store (`window.Vaadin.connectionState`), where the Flow client is loaded. */
function vaadinConnection(): VaadinConnectionState | null {
  const vaadin = (window as unknown as { Vaadin?: { connectionState?: VaadinConnectionState } }).Vaadin;
  return vaadin?.connectionState ?? null;
}

declare global {
  interface HTMLElementTagNameMap {
    'grounding-editor': GroundingEditor;
  }
}

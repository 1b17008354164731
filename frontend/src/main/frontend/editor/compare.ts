/**
 * What changed against the model's pre-fill: caption words inserted and deleted (word-level LCS), phrases added,
 * removed and re-spanned, masks changed. Phrases are matched by text first (same text = the same phrase, wherever
 * it moved), then the rest by overlapping words (a phrase that grew or shrank = re-spanned).
 */

export interface ComparedPhrase {
  text: string;
  masks: string[]; // RLE strings
}

export interface CompareSide {
  caption: string;
  phrases: ComparedPhrase[];
}

export interface CompareSummary {
  insertedWords: string[];
  deletedWords: string[];
  phrasesAdded: string[];
  phrasesRemoved: string[];
  /** "old" → "new" */
  phrasesRespanned: [string, string][];
  /** matched phrases whose masks differ (count or content) */
  masksChanged: string[];
  unchanged: boolean;
}

export function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** Word-level diff: the words of `after` not in the LCS (inserted) and of `before` not in it (deleted). */
export function wordDiff(before: string, after: string): { inserted: string[]; deleted: string[] } {
  const a = words(before);
  const b = words(after);
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const inserted: string[] = [];
  const deleted: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      deleted.push(a[i++]);
    } else {
      inserted.push(b[j++]);
    }
  }
  while (i < n) {
    deleted.push(a[i++]);
  }
  while (j < m) {
    inserted.push(b[j++]);
  }
  return { inserted, deleted };
}

function sharesWord(x: string, y: string): boolean {
  const wx = new Set(words(x.toLowerCase()));
  return words(y.toLowerCase()).some((w) => wx.has(w));
}

function sameMasks(x: string[], y: string[]): boolean {
  if (x.length !== y.length) {
    return false;
  }
  const sx = [...x].sort();
  const sy = [...y].sort();
  return sx.every((v, i) => v === sy[i]);
}

export function compare(prefill: CompareSide, current: CompareSide): CompareSummary {
  const { inserted, deleted } = wordDiff(prefill.caption, current.caption);
  const oldLeft = prefill.phrases.map((p, i) => i);
  const newLeft = current.phrases.map((p, i) => i);
  const pairs: [number, number][] = [];
  for (const j of [...newLeft]) {
    const k = oldLeft.findIndex((i) => prefill.phrases[i].text === current.phrases[j].text);
    if (k >= 0) {
      pairs.push([oldLeft[k], j]);
      oldLeft.splice(k, 1);
      newLeft.splice(newLeft.indexOf(j), 1);
    }
  }
  const respanned: [string, string][] = [];
  for (const j of [...newLeft]) {
    const k = oldLeft.findIndex((i) => sharesWord(prefill.phrases[i].text, current.phrases[j].text));
    if (k >= 0) {
      pairs.push([oldLeft[k], j]);
      respanned.push([prefill.phrases[oldLeft[k]].text, current.phrases[j].text]);
      oldLeft.splice(k, 1);
      newLeft.splice(newLeft.indexOf(j), 1);
    }
  }
  const masksChanged = pairs.filter(([i, j]) => !sameMasks(prefill.phrases[i].masks, current.phrases[j].masks))
      .map(([, j]) => current.phrases[j].text);
  const summary: CompareSummary = {
    insertedWords: inserted,
    deletedWords: deleted,
    phrasesAdded: newLeft.map((j) => current.phrases[j].text),
    phrasesRemoved: oldLeft.map((i) => prefill.phrases[i].text),
    phrasesRespanned: respanned,
    masksChanged,
    unchanged: false,
  };
  summary.unchanged = inserted.length === 0 && deleted.length === 0 && summary.phrasesAdded.length === 0
      && summary.phrasesRemoved.length === 0 && respanned.length === 0 && masksChanged.length === 0;
  return summary;
}

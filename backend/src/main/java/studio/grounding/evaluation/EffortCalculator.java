package studio.grounding.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.mask.Rle;

/**
 * Compares a pre-fill with its final human version. Phrases are matched through the caption's character alignment
 * ({@link EditDistance#alignment}): a pre-fill phrase is carried into the final caption if at least half of its
 * characters are kept unchanged (its carried span runs from the first to the last kept one), so a phrase whose text
 * was replaced ("a tree" to "a ball") is removed and another added. Each final phrase is paired with the carried
 * pre-fill phrase that overlaps it most (greedy, largest overlap first). A pair whose final span differs from the
 * carried one is re-spanned ("dog" to "A brown dog"); unpaired phrases are removed or added.
 * Masks: each final mask against every pre-fill mask (IoU, pycocotools semantics).
 */
final class EffortCalculator {

    private EffortCalculator() {
    }

    record Counts(int charEdits, int wordEdits, int added, int removed, int respanned, int masksRedrawn,
                  Double meanMaskIou) {
    }

    static Counts compare(GroundedCaption prefill, GroundedCaption fin) {
        int chars = EditDistance.characters(prefill.caption(), fin.caption());
        int words = EditDistance.words(prefill.caption(), fin.caption());
        int[] map = EditDistance.alignment(prefill.caption(), fin.caption());

        List<PhraseSpan> old = prefill.phrases();
        List<PhraseSpan> now = fin.phrases();
        int[][] carried = new int[old.size()][];
        for (int i = 0; i < old.size(); i++) {
            carried[i] = carry(old.get(i), map);
        }
        record Pair(int old, int now, int overlap) {
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < old.size(); i++) {
            if (carried[i] == null) {
                continue;
            }
            for (int j = 0; j < now.size(); j++) {
                int overlap = Math.min(carried[i][1], now.get(j).end()) - Math.max(carried[i][0], now.get(j).start());
                if (overlap > 0) {
                    pairs.add(new Pair(i, j, overlap));
                }
            }
        }
        pairs.sort(Comparator.comparingInt(Pair::overlap).reversed().thenComparingInt(Pair::old)
                .thenComparingInt(Pair::now));
        boolean[] oldUsed = new boolean[old.size()];
        boolean[] nowUsed = new boolean[now.size()];
        int matched = 0;
        int respanned = 0;
        for (Pair p : pairs) {
            if (oldUsed[p.old()] || nowUsed[p.now()]) {
                continue;
            }
            oldUsed[p.old()] = true;
            nowUsed[p.now()] = true;
            matched++;
            PhraseSpan n = now.get(p.now());
            if (carried[p.old()][0] != n.start() || carried[p.old()][1] != n.end()) {
                respanned++;
            }
        }

        List<Rle> before = rles(prefill.allMasks());
        List<Rle> after = rles(fin.allMasks());
        int redrawn = 0;
        double iouSum = 0;
        for (Rle m : after) {
            double best = 0;
            for (Rle p : before) {
                best = Math.max(best, Rle.iou(m, p, false));
            }
            iouSum += best;
            if (best < ItemEffort.REDRAWN_BELOW) {
                redrawn++;
            }
        }
        return new Counts(chars, words, now.size() - matched, old.size() - matched, respanned, redrawn,
                after.isEmpty() ? null : iouSum / after.size());
    }

    /** The span a phrase's kept characters occupy in the new caption, or null if fewer than half were kept. */
    private static int[] carry(PhraseSpan phrase, int[] map) {
        int start = Integer.MAX_VALUE;
        int end = -1;
        int kept = 0;
        for (int c = phrase.start(); c < phrase.end() && c < map.length; c++) {
            if (map[c] >= 0) {
                kept++;
                start = Math.min(start, map[c]);
                end = Math.max(end, map[c] + 1);
            }
        }
        return 2 * kept < phrase.end() - phrase.start() ? null : new int[] {start, end};
    }

    private static List<Rle> rles(List<MaskRle> masks) {
        return masks.stream().map(m -> Rle.fromString(m.counts(), m.height(), m.width())).toList();
    }
}

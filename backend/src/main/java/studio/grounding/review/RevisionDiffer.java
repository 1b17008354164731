package studio.grounding.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.mask.Rle;

/**
 * Compares two revisions of an item: a word-level diff of the captions (longest common subsequence of words,
 * blanks and punctuation), phrases matched through that diff (same mapped span, else overlapping mapped span, else
 * same text), and the masks of each matched phrase paired by best IoU.
 */
final class RevisionDiffer {

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|\\s+|[^\\p{L}\\p{N}\\s]+");

    private RevisionDiffer() {
    }

    static ReviewDiff diff(Revision before, Revision after) {
        GroundedCaption a = after.caption();
        GroundedCaption b = before == null ? new GroundedCaption("", List.of()) : before.caption();
        List<TextSegment> text = new ArrayList<>();
        int[] offsetMap = textDiff(b.caption(), a.caption(), text);
        List<PhraseChange> phrases = phrases(b.phrases(), a.phrases(), offsetMap);
        return new ReviewDiff(before, after, text, phrases, b.unlinkedMasks().size(), a.unlinkedMasks().size());
    }

    /** Fills {@code out} with the segments; returns for each offset of {@code before} its offset in {@code after}. */
    static int[] textDiff(String before, String after, List<TextSegment> out) {
        List<int[]> bt = tokens(before);
        List<int[]> at = tokens(after);
        int n = bt.size();
        int m = at.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = same(before, bt.get(i), after, at.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int[] map = new int[before.length() + 1];
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && same(before, bt.get(i), after, at.get(j))) {
                int[] t = bt.get(i);
                int[] u = at.get(j);
                for (int k = 0; k <= t[1] - t[0]; k++) {
                    map[t[0] + k] = u[0] + k;
                }
                add(out, TextSegment.Kind.SAME, after, u[0], u[1]);
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                int[] u = at.get(j);
                add(out, TextSegment.Kind.INSERTED, after, u[0], u[1]);
                j++;
            } else {
                int[] t = bt.get(i);
                int at0 = j < m ? at.get(j)[0] : after.length();
                for (int k = t[0]; k <= t[1]; k++) {
                    map[k] = at0;
                }
                add(out, TextSegment.Kind.DELETED, before, t[0], t[1]);
                i++;
            }
        }
        if (n == 0) {
            map[0] = 0;
        }
        return map;
    }

    private static List<PhraseChange> phrases(List<PhraseSpan> before, List<PhraseSpan> after, int[] map) {
        Integer[] matchOfAfter = new Integer[after.size()];
        boolean[] beforeUsed = new boolean[before.size()];
        // 1. the earlier span maps exactly onto the submitted span
        for (int j = 0; j < after.size(); j++) {
            for (int i = 0; i < before.size() && matchOfAfter[j] == null; i++) {
                if (!beforeUsed[i] && map[before.get(i).start()] == after.get(j).start()
                        && map[before.get(i).end()] == after.get(j).end()) {
                    matchOfAfter[j] = i;
                    beforeUsed[i] = true;
                }
            }
        }
        // 2. the mapped spans overlap (largest overlap first)
        for (int j = 0; j < after.size(); j++) {
            int best = -1;
            int bestOverlap = 0;
            for (int i = 0; i < before.size() && matchOfAfter[j] == null; i++) {
                int overlap = Math.min(map[before.get(i).end()], after.get(j).end())
                        - Math.max(map[before.get(i).start()], after.get(j).start());
                if (!beforeUsed[i] && overlap > bestOverlap) {
                    best = i;
                    bestOverlap = overlap;
                }
            }
            if (best >= 0) {
                matchOfAfter[j] = best;
                beforeUsed[best] = true;
            }
        }
        // 3. the same text elsewhere
        for (int j = 0; j < after.size(); j++) {
            for (int i = 0; i < before.size() && matchOfAfter[j] == null; i++) {
                if (!beforeUsed[i] && before.get(i).text().equalsIgnoreCase(after.get(j).text())) {
                    matchOfAfter[j] = i;
                    beforeUsed[i] = true;
                }
            }
        }
        List<PhraseChange> changes = new ArrayList<>();
        for (int j = 0; j < after.size(); j++) {
            PhraseSpan a = after.get(j);
            if (matchOfAfter[j] == null) {
                changes.add(new PhraseChange(PhraseChange.Kind.ADDED, null, j, null, a.text(), masks(List.of(), a.masks())));
            } else {
                int i = matchOfAfter[j];
                PhraseSpan b = before.get(i);
                boolean unchanged = map[b.start()] == a.start() && map[b.end()] == a.end() && b.text().equals(a.text());
                changes.add(new PhraseChange(unchanged ? PhraseChange.Kind.UNCHANGED : PhraseChange.Kind.RESPANNED, i, j,
                        b.text(), a.text(), masks(b.masks(), a.masks())));
            }
        }
        for (int i = 0; i < before.size(); i++) {
            if (!beforeUsed[i]) {
                PhraseSpan b = before.get(i);
                changes.add(new PhraseChange(PhraseChange.Kind.REMOVED, i, null, b.text(), null,
                        masks(b.masks(), List.of())));
            }
        }
        return changes;
    }

    /** Pairs masks by best IoU, greedily. */
    static List<MaskChange> masks(List<MaskRle> before, List<MaskRle> after) {
        double[][] iou = new double[before.size()][after.size()];
        List<Rle> b = before.stream().map(RevisionDiffer::rle).toList();
        List<Rle> a = after.stream().map(RevisionDiffer::rle).toList();
        for (int i = 0; i < b.size(); i++) {
            for (int j = 0; j < a.size(); j++) {
                iou[i][j] = Rle.iou(a.get(j), b.get(i), false);
            }
        }
        boolean[] bUsed = new boolean[b.size()];
        boolean[] aUsed = new boolean[a.size()];
        List<MaskChange> changes = new ArrayList<>();
        while (true) {
            int bi = -1;
            int aj = -1;
            double best = 0;
            for (int i = 0; i < b.size(); i++) {
                for (int j = 0; j < a.size(); j++) {
                    if (!bUsed[i] && !aUsed[j] && iou[i][j] > best) {
                        best = iou[i][j];
                        bi = i;
                        aj = j;
                    }
                }
            }
            if (bi < 0) {
                break;
            }
            bUsed[bi] = true;
            aUsed[aj] = true;
            boolean same = before.get(bi).counts().equals(after.get(aj).counts());
            changes.add(new MaskChange(same ? MaskChange.Kind.UNCHANGED : MaskChange.Kind.CHANGED, bi, aj, best));
        }
        for (int j = 0; j < a.size(); j++) {
            if (!aUsed[j]) {
                changes.add(new MaskChange(MaskChange.Kind.ADDED, null, j, 0));
            }
        }
        for (int i = 0; i < b.size(); i++) {
            if (!bUsed[i]) {
                changes.add(new MaskChange(MaskChange.Kind.REMOVED, i, null, 0));
            }
        }
        changes.sort(Comparator.comparing((MaskChange c) -> c.afterIndex() == null ? Integer.MAX_VALUE : c.afterIndex())
                .thenComparing(c -> c.beforeIndex() == null ? Integer.MAX_VALUE : c.beforeIndex()));
        return changes;
    }

    private static Rle rle(MaskRle m) {
        return Rle.fromString(m.counts(), m.height(), m.width());
    }

    private static List<int[]> tokens(String s) {
        List<int[]> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(s);
        while (matcher.find()) {
            tokens.add(new int[] {matcher.start(), matcher.end()});
        }
        return tokens;
    }

    private static boolean same(String a, int[] t, String b, int[] u) {
        return t[1] - t[0] == u[1] - u[0] && a.regionMatches(t[0], b, u[0], t[1] - t[0]);
    }

    private static void add(List<TextSegment> out, TextSegment.Kind kind, String source, int start, int end) {
        if (!out.isEmpty()) {
            TextSegment last = out.getLast();
            if (last.kind() == kind && last.end() == start) {
                out.set(out.size() - 1, new TextSegment(kind, last.text() + source.substring(start, end), last.start(), end));
                return;
            }
        }
        out.add(new TextSegment(kind, source.substring(start, end), start, end));
    }
}

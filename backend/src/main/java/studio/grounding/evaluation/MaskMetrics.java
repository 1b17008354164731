package studio.grounding.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import studio.grounding.mask.Rle;

/**
 * mIoU and mask recall exactly as GLaMM's {@code eval/gcg/evaluate.py} computes them ({@code compute_miou},
 * {@code find_best_matches}, {@code evaluate_recall_with_mapping}), greedy and quirks included, with the IoU of
 * {@code eval/utils.py compute_iou} ({@link ScriptIou#numpy}).
 *
 * <p>Two empty masks have IoU 0/0 = NaN there. In mIoU a NaN makes {@code np.max} NaN, and {@code NaN > 0} is false,
 * so the matching of that image ends before it starts: the image scores 0. In recall {@code np.argmax} returns the
 * first NaN, {@code NaN < 0.5} is false, so the pair counts as a true positive when its texts are similar. That is
 * the default. {@link Deviation#EMPTY_PAIR_IOU_ZERO} uses pycocotools' value 0 instead (the pair is then simply no
 * match); it is never the default.
 *
 * <p>Masks of different sizes: numpy broadcasts them when every dimension is equal or 1, else raises
 * {@code ValueError}. In mIoU that is outside any {@code try}: the script stops, so there is no mIoU
 * ({@link #imageMiou} throws {@link ScriptIou.ShapeMismatch}, the evaluator reports mIoU as NaN and says which
 * image). In recall it is caught: the image counts 0 true positives, its labels still count.
 */
public final class MaskMetrics {

    /** IoU threshold of recall. */
    public static final double RECALL_IOU_THRESHOLD = 0.5;
    /** Text similarity threshold of recall. */
    public static final double RECALL_TEXT_THRESHOLD = 0.5;

    /** A named departure from evaluate.py's behaviour; none is ever applied by default. */
    public enum Deviation {
        /** Two empty masks have IoU 0 (pycocotools' value) instead of evaluate.py's NaN. */
        EMPTY_PAIR_IOU_ZERO
    }

    private MaskMetrics() {
    }

    /** The official mIoU of one image. */
    public static double imageMiou(List<Rle> predMasks, List<Rle> gtMasks) {
        return imageMiou(predMasks, gtMasks, Set.of());
    }

    /**
     * The mIoU of one image ({@code compute_miou}): on the IoU matrix predictions x ground truth, repeatedly take the
     * largest entry (the first in row-major order on ties), stop unless it is &gt; 0 (a NaN anywhere in what is left
     * makes the maximum NaN: stop), record it and delete its row and column; the mean of the recorded IoUs, or 0 if
     * none.
     *
     * @throws ScriptIou.ShapeMismatch where numpy cannot broadcast two masks (the script stops there)
     */
    public static double imageMiou(List<Rle> predMasks, List<Rle> gtMasks, Set<Deviation> deviations) {
        Objects.requireNonNull(predMasks, "predMasks");
        Objects.requireNonNull(gtMasks, "gtMasks");
        if (predMasks.isEmpty() || gtMasks.isEmpty()) {
            return 0.0;
        }
        double[][] m = matrix(predMasks, gtMasks, deviations); // [pred][gt]
        int rows = m.length;
        int cols = m[0].length;
        boolean[] rowGone = new boolean[rows];
        boolean[] colGone = new boolean[cols];
        double sum = 0;
        int n = 0;
        while (true) {
            int bi = -1;
            int bj = -1;
            double best = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (int i = 0; i < rows && !nan; i++) {
                if (rowGone[i]) {
                    continue;
                }
                for (int j = 0; j < cols; j++) {
                    if (colGone[j]) {
                        continue;
                    }
                    if (Double.isNaN(m[i][j])) {
                        nan = true; // np.max is NaN, NaN > 0 is false
                        break;
                    }
                    if (m[i][j] > best) { // strict: the first maximum in row-major order wins
                        best = m[i][j];
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (nan || bi < 0 || !(best > 0)) {
                break;
            }
            sum += best;
            n++;
            rowGone[bi] = true;
            colGone[bj] = true;
        }
        return n == 0 ? 0.0 : sum / n;
    }

    private static double[][] matrix(List<Rle> rows, List<Rle> cols, Set<Deviation> deviations) {
        double[][] m = ScriptIou.numpyMatrix(rows, cols);
        if (deviations.contains(Deviation.EMPTY_PAIR_IOU_ZERO)) {
            for (double[] row : m) {
                for (int j = 0; j < row.length; j++) {
                    if (Double.isNaN(row[j])) {
                        row[j] = 0;
                    }
                }
            }
        }
        return m;
    }

    /** mIoU of a split: the mean of {@link #imageMiou} over all samples, 0 for an empty split. */
    public static double miou(List<GcgSample> samples) {
        if (samples.isEmpty()) {
            return 0.0;
        }
        double sum = 0;
        for (GcgSample s : samples) {
            try {
                sum += imageMiou(s.predMasks(), s.gtMasks());
            } catch (ScriptIou.ShapeMismatch e) {
                return Double.NaN; // the script stops: no mIoU
            }
        }
        return sum / samples.size();
    }

    /**
     * Recall of one image ({@code find_best_matches} inside {@code evaluate_recall_with_mapping}'s try block).
     *
     * <p>IoU matrix ground truth x predictions; text similarity matrix GT labels x predicted phrases. Repeatedly take
     * the largest IoU (first in row-major order); stop if it is below 0.5 or its text similarity is below 0.5;
     * otherwise count a true positive and zero its row and column in both matrices. The IoU is checked first, so
     * the text matrix is only indexed for an IoU of at least 0.5: if that cell lies outside the text matrix (a mask
     * with no label / phrase at its index, i.e. more GT masks than labels or more predicted masks than phrases),
     * numpy raises IndexError, the script prints it and counts <em>0</em> true positives for the image, while its
     * labels still count as positives. This is reproduced: {@link ImageRecall#failure()} says what happened. More
     * phrases than masks does not fail (the text matrix is just larger).
     */
    public static ImageRecall imageRecall(GcgSample sample, TextSimilarity similarity) {
        return imageRecall(sample, similarity, Set.of());
    }

    /** Recall of one image, with the given deviations from the script. */
    public static ImageRecall imageRecall(GcgSample sample, TextSimilarity similarity, Set<Deviation> deviations) {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(similarity, "similarity");
        int labels = sample.gtLabels().size();
        List<Rle> gt = sample.gtMasks();
        List<Rle> pred = sample.predMasks();
        if (gt.isEmpty() || pred.isEmpty()) {
            return new ImageRecall(sample.imageId(), 0, labels, null);
        }
        double[][] iou; // compute_iou_matrix(gt_masks, pred_masks): [gt][pred]
        try {
            iou = matrix(gt, pred, deviations);
        } catch (ScriptIou.ShapeMismatch e) {
            return new ImageRecall(sample.imageId(), 0, labels, e.getMessage()
                    + " (masks of different sizes); the script counts 0 true positives");
        }
        int rows = gt.size();
        int cols = pred.size();
        int textRows = labels;
        int textCols = sample.predPhrases().size();
        // text similarities are computed on demand (the script computes all of them first; the result is the same
        // because a zeroed cell is never checked again: its IoU is 0 < 0.5)
        Map<Long, Double> text = new HashMap<>();
        int tp = 0;
        while (true) {
            int bg = 0;
            int bp = 0;
            double best = iou[0][0];
            boolean nan = Double.isNaN(best);
            for (int g = 0; g < rows && !nan; g++) {
                for (int p = 0; p < cols; p++) {
                    if (Double.isNaN(iou[g][p])) { // np.argmax returns the first NaN
                        best = iou[g][p];
                        bg = g;
                        bp = p;
                        nan = true;
                        break;
                    }
                    if (iou[g][p] > best) {
                        best = iou[g][p];
                        bg = g;
                        bp = p;
                    }
                }
            }
            if (best < RECALL_IOU_THRESHOLD) { // false for NaN: a NaN pair goes on to the text check
                break;
            }
            if (bg >= textRows || bp >= textCols) {
                return new ImageRecall(sample.imageId(), 0, labels,
                        "IndexError: greedy match (GT mask " + bg + ", predicted mask " + bp + ", IoU " + best
                                + ") is outside the " + textRows + "x" + textCols
                                + " text similarity matrix (labels x phrases); the script counts 0 true positives");
            }
            final int g0 = bg;
            final int p0 = bp;
            double sim = text.computeIfAbsent(((long) bg << 32) | bp,
                    k -> similarity.similarity(sample.gtLabels().get(g0), sample.predPhrases().get(p0)));
            if (sim < RECALL_TEXT_THRESHOLD) {
                break;
            }
            tp++;
            for (int p = 0; p < cols; p++) {
                iou[bg][p] = 0;
            }
            for (int g = 0; g < rows; g++) {
                iou[g][bp] = 0;
            }
        }
        return new ImageRecall(sample.imageId(), tp, labels, null);
    }

    /** Recall of a split: total true positives / total GT labels (0 if there are no labels). */
    public static Recall recall(List<GcgSample> samples, TextSimilarity similarity) {
        return recall(samples, similarity, Set.of());
    }

    /** Recall of a split, with the given deviations from the script. */
    public static Recall recall(List<GcgSample> samples, TextSimilarity similarity, Set<Deviation> deviations) {
        List<ImageRecall> images = new ArrayList<>(samples.size());
        long tp = 0;
        long labels = 0;
        for (GcgSample s : samples) {
            ImageRecall r = imageRecall(s, similarity, deviations);
            images.add(r);
            tp += r.truePositives();
            labels += r.labels();
        }
        double value = labels > 0 ? (double) tp / labels : 0.0;
        return new Recall(value, tp, labels, similarity.name(), similarity.official(), images);
    }

    /** Number of (prediction, GT) pairs of empty masks of one size in a sample: the script's IoU is NaN there. */
    public static int emptyPairs(GcgSample sample) {
        int pairs = 0;
        for (Rle p : sample.predMasks()) {
            for (Rle g : sample.gtMasks()) {
                if (p.area() == 0 && g.area() == 0 && p.height() == g.height() && p.width() == g.width()) {
                    pairs++;
                }
            }
        }
        return pairs;
    }

    /** The first pair of masks of a sample numpy cannot broadcast, described, or null. */
    public static String shapeMismatch(GcgSample sample) {
        for (Rle p : sample.predMasks()) {
            for (Rle g : sample.gtMasks()) {
                if (!ScriptIou.broadcastable(p, g)) {
                    return new ScriptIou.ShapeMismatch(p, g).getMessage();
                }
            }
        }
        return null;
    }

    /**
     * Recall of one image.
     *
     * @param failure null, or why the script would fail for this image (then {@code truePositives} is 0)
     */
    public record ImageRecall(String imageId, int truePositives, int labels, String failure) {
    }

    /** Recall of a split, with the similarity it was computed with. */
    public record Recall(double value, long truePositives, long labels, String similarity, boolean official,
                         List<ImageRecall> images) {
        public Recall {
            images = List.copyOf(images);
        }

        /** Images for which the script would fail (0 true positives counted). */
        public long failedImages() {
            return images.stream().filter(i -> i.failure() != null).count();
        }
    }
}

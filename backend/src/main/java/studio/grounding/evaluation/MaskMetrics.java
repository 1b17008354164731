package studio.grounding.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import studio.grounding.mask.Rle;

/**
 * mIoU and mask recall exactly as GLaMM's {@code eval/gcg/evaluate.py} computes them ({@code compute_miou},
 * {@code find_best_matches}, {@code evaluate_recall_with_mapping}), greedy and quirks included.
 *
 * <p>One deliberate deviation: the script computes the IoU of two empty masks as 0/0 = NaN. In mIoU a NaN makes
 * {@code np.max} NaN, which ends the matching for the image at once (score 0 if nothing was matched before); in
 * recall {@code np.argmax} picks the NaN and, NaN &lt; 0.5 being false, counts it as a true positive when the texts
 * are similar. The platform uses IoU 0 for empty/empty (the pycocotools value) and counts, per image, how many such
 * pairs there were so the report can say where the script would differ.
 */
public final class MaskMetrics {

    /** IoU threshold of recall. */
    public static final double RECALL_IOU_THRESHOLD = 0.5;
    /** Text similarity threshold of recall. */
    public static final double RECALL_TEXT_THRESHOLD = 0.5;

    private MaskMetrics() {
    }

    /**
     * The mIoU of one image ({@code compute_miou}): on the IoU matrix predictions x ground truth, repeatedly take the
     * largest entry (the first in row-major order on ties), stop unless it is &gt; 0, record it and delete its row
     * and column; the mean of the recorded IoUs, or 0 if none.
     */
    public static double imageMiou(List<Rle> predMasks, List<Rle> gtMasks) {
        Objects.requireNonNull(predMasks, "predMasks");
        Objects.requireNonNull(gtMasks, "gtMasks");
        if (predMasks.isEmpty() || gtMasks.isEmpty()) {
            return 0.0;
        }
        double[][] m = Rle.iou(predMasks, gtMasks, null); // [pred][gt]
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
            for (int i = 0; i < rows; i++) {
                if (rowGone[i]) {
                    continue;
                }
                for (int j = 0; j < cols; j++) {
                    if (!colGone[j] && m[i][j] > best) { // strict: the first maximum in row-major order wins
                        best = m[i][j];
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (bi < 0 || !(best > 0)) {
                break;
            }
            sum += best;
            n++;
            rowGone[bi] = true;
            colGone[bj] = true;
        }
        return n == 0 ? 0.0 : sum / n;
    }

    /** mIoU of a split: the mean of {@link #imageMiou} over all samples, 0 for an empty split. */
    public static double miou(List<GcgSample> samples) {
        if (samples.isEmpty()) {
            return 0.0;
        }
        double sum = 0;
        for (GcgSample s : samples) {
            sum += imageMiou(s.predMasks(), s.gtMasks());
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
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(similarity, "similarity");
        int labels = sample.gtLabels().size();
        List<Rle> gt = sample.gtMasks();
        List<Rle> pred = sample.predMasks();
        if (gt.isEmpty() || pred.isEmpty()) {
            return new ImageRecall(sample.imageId(), 0, labels, null);
        }
        double[][] dtGt = Rle.iou(pred, gt, null); // [pred][gt]; IoU without crowd is symmetric
        int rows = gt.size();
        int cols = pred.size();
        double[][] iou = new double[rows][cols];
        for (int g = 0; g < rows; g++) {
            for (int p = 0; p < cols; p++) {
                iou[g][p] = dtGt[p][g];
            }
        }
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
            for (int g = 0; g < rows; g++) {
                for (int p = 0; p < cols; p++) {
                    if (iou[g][p] > best) {
                        best = iou[g][p];
                        bg = g;
                        bp = p;
                    }
                }
            }
            if (best < RECALL_IOU_THRESHOLD) {
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
        List<ImageRecall> images = new ArrayList<>(samples.size());
        long tp = 0;
        long labels = 0;
        for (GcgSample s : samples) {
            ImageRecall r = imageRecall(s, similarity);
            images.add(r);
            tp += r.truePositives();
            labels += r.labels();
        }
        double value = labels > 0 ? (double) tp / labels : 0.0;
        return new Recall(value, tp, labels, similarity.name(), similarity.official(), images);
    }

    /** Number of (prediction, GT) pairs of empty masks in a sample, whose IoU the script computes as NaN. */
    public static int emptyPairs(GcgSample sample) {
        long emptyPred = sample.predMasks().stream().filter(m -> m.area() == 0).count();
        long emptyGt = sample.gtMasks().stream().filter(m -> m.area() == 0).count();
        return Math.toIntExact(emptyPred * emptyGt);
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

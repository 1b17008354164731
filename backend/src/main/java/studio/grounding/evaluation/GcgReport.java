package studio.grounding.evaluation;

import java.util.List;
import java.util.Locale;

/**
 * GCG scores of one model version on one split, with everything a reader needs to judge them.
 *
 * @param images               number of images scored
 * @param gtLabels             total ground-truth labels (recall's denominator)
 * @param gtMasks              total ground-truth masks
 * @param predictedPhrases     total predicted phrases
 * @param predictedMasks       total predicted masks
 * @param miou                 mIoU in [0, 1] (the paper prints it x100)
 * @param recall               mask recall in [0, 1]
 * @param recallSimilarity     name of the text similarity recall was computed with
 * @param recallOfficial       whether that similarity is the script's (BERT); false means recall is NOT comparable
 *                             with published numbers
 * @param recallFailedImages   images for which the script would fail and count 0 true positives
 * @param ap50                 COCOeval segm AP at IoU 0.5, or -1 when the split has no ground truth
 * @param bleu1                BLEU-1 (pycocoevalcap)
 * @param bleu2                BLEU-2
 * @param bleu3                BLEU-3
 * @param bleu4                BLEU-4
 * @param cider                CIDEr (pycocoevalcap's CIDEr-D), document frequencies from this split
 * @param rougeL               ROUGE-L
 * @param meteor               always null: not computed
 * @param meteorReason         why METEOR is absent
 * @param notes                where this report may differ from GLaMM's script, general and for this split
 * @param perImage             per-image mIoU and recall
 */
public record GcgReport(int images, long gtLabels, long gtMasks, long predictedPhrases, long predictedMasks,
                        double miou, double recall, String recallSimilarity, boolean recallOfficial,
                        long recallFailedImages, double ap50, double bleu1, double bleu2, double bleu3, double bleu4,
                        double cider, double rougeL, Double meteor, String meteorReason, List<String> notes,
                        List<ImageScores> perImage) {

    public GcgReport {
        notes = List.copyOf(notes);
        perImage = List.copyOf(perImage);
    }

    /**
     * A plain-text summary in the paper's units (x100), one metric a line. Recall always names its similarity and
     * says "NOT official" for a fallback; METEOR says why it is absent; the notes follow.
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "images %d, GT labels %d, GT masks %d, predicted phrases %d, "
                + "predicted masks %d%n", images, gtLabels, gtMasks, predictedPhrases, predictedMasks));
        b.append(String.format(Locale.ROOT, "mIoU %.1f%n", 100 * miou));
        b.append(String.format(Locale.ROOT, "recall %.1f [text similarity: %s, %s]%n", 100 * recall, recallSimilarity,
                recallOfficial ? "official" : "NOT official, not comparable with GLaMM's numbers"));
        b.append(ap50 < 0 ? String.format("AP50 -1 (no ground truth)%n")
                : String.format(Locale.ROOT, "AP50 %.1f%n", 100 * ap50));
        b.append(String.format(Locale.ROOT, "BLEU-1..4 %.1f %.1f %.1f %.1f%n", 100 * bleu1, 100 * bleu2, 100 * bleu3,
                100 * bleu4));
        b.append(String.format(Locale.ROOT, "CIDEr %.1f%n", 100 * cider));
        b.append(String.format(Locale.ROOT, "ROUGE-L %.1f%n", 100 * rougeL));
        b.append(meteor == null ? "METEOR not computed: " + meteorReason + System.lineSeparator()
                : String.format(Locale.ROOT, "METEOR %.1f%n", 100 * meteor));
        notes.forEach(n -> b.append("note: ").append(n).append(System.lineSeparator()));
        return b.toString();
    }

    /**
     * Scores of one image.
     *
     * @param recallFailure null, or why the script would count 0 true positives for the image
     */
    public record ImageScores(String imageId, double miou, int recallTruePositives, int gtLabels,
                              String recallFailure, double cider) {
    }
}

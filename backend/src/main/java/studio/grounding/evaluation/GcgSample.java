package studio.grounding.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.PhraseListing;
import studio.grounding.mask.Rle;

/**
 * One image of a GCG split: the ground truth and a model's prediction, in the shape GLaMM's
 * {@code eval/gcg/evaluate.py} sees them.
 *
 * <p>{@code gtLabels.get(i)} is the label of {@code gtMasks.get(i)} (one label per mask instance, as the COCO GCG
 * {@code _caption_gt} / {@code _mask_gt} pair has); the lists may still differ in length, which the recall quirk
 * depends on. {@code predPhrases} and {@code predMasks} are GLaMM's {@code phrases} and {@code pred_masks}, index
 * aligned as far as both go. {@code otherReferences} are the image's further reference captions (COCO GCG caption
 * files may hold several annotations per image): the caption metrics score against {@link #references()}, the mask
 * metrics use {@code gtLabels} of the first, as evaluate.py does. Masks may differ in size (a prediction made on a differently oriented image): the
 * metrics then do what evaluate.py does ({@link MaskMetrics}, {@link Ap50}).
 */
public record GcgSample(String imageId, String gtCaption, List<String> gtLabels, List<Rle> gtMasks,
                        String predCaption, List<String> predPhrases, List<Rle> predMasks,
                        List<String> otherReferences) {

    public GcgSample {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(gtCaption, "gtCaption");
        Objects.requireNonNull(predCaption, "predCaption");
        gtLabels = List.copyOf(gtLabels);
        gtMasks = List.copyOf(gtMasks);
        predPhrases = List.copyOf(predPhrases);
        predMasks = List.copyOf(predMasks);
        otherReferences = List.copyOf(otherReferences);
    }

    /** A sample with one reference caption. */
    public GcgSample(String imageId, String gtCaption, List<String> gtLabels, List<Rle> gtMasks, String predCaption,
                     List<String> predPhrases, List<Rle> predMasks) {
        this(imageId, gtCaption, gtLabels, gtMasks, predCaption, predPhrases, predMasks, List.of());
    }

    /** Every reference caption of the image, {@code gtCaption} first: what pycocoevalcap scores against. */
    public List<String> references() {
        List<String> all = new ArrayList<>(1 + otherReferences.size());
        all.add(gtCaption);
        all.addAll(otherReferences);
        return all;
    }

    /**
     * A sample from the accepted ground truth and a model's prediction of the same image.
     *
     * <p>Ground truth, as {@code CocoGcgWriter} exports it: each mask of a phrase gives one label (the phrase text)
     * and one mask, in phrase order; a phrase without a mask gives no label, unlinked masks are left out (the COCO GCG
     * files cannot express either).
     *
     * <p>Prediction, as GLaMM's {@code infer.py} output lists it: each mask of a phrase gives one phrase and one mask,
     * in phrase order; then phrases without a mask are appended to the phrases and unlinked masks to the masks. So the
     * phrase/mask pairs the platform knows stay index-aligned, and the extras sit at the end where the script
     * finds them: with more masks than phrases, a greedy recall match on an extra mask makes the script fail for the
     * image ({@link MaskMetrics#recall}). GLaMM's raw output only aligns phrase i with mask i; an explicit pairing made
     * on the platform (a maskless phrase in the middle) is honoured instead.
     */
    public static GcgSample of(String imageId, GroundedCaption groundTruth, GroundedCaption prediction) {
        return of(imageId, groundTruth, prediction, List.of());
    }

    /** {@link #of(String, GroundedCaption, GroundedCaption)} with the ground truth's further reference captions. */
    public static GcgSample of(String imageId, GroundedCaption groundTruth, GroundedCaption prediction,
                               List<String> otherReferences) {
        return of(imageId, groundTruth, prediction, otherReferences, null);
    }

    /**
     * As above; with a {@code listing} (how the model listed the prediction's phrases and masks, e.g. an imported
     * GLaMM prediction file) the prediction's phrases and masks are taken exactly as listed, as evaluate.py takes
     * them, instead of being derived from the caption.
     */
    public static GcgSample of(String imageId, GroundedCaption groundTruth, GroundedCaption prediction,
                               List<String> otherReferences, PhraseListing listing) {
        Objects.requireNonNull(groundTruth, "groundTruth");
        Objects.requireNonNull(prediction, "prediction");
        List<String> gtLabels = new ArrayList<>();
        List<Rle> gtMasks = new ArrayList<>();
        for (PhraseSpan p : groundTruth.phrases()) {
            for (MaskRle m : p.masks()) {
                gtLabels.add(p.text());
                gtMasks.add(rle(m));
            }
        }
        List<String> predPhrases = new ArrayList<>();
        List<Rle> predMasks = new ArrayList<>();
        List<String> maskless = new ArrayList<>();
        for (PhraseSpan p : prediction.phrases()) {
            if (p.masks().isEmpty()) {
                maskless.add(p.text());
            }
            for (MaskRle m : p.masks()) {
                predPhrases.add(p.text());
                predMasks.add(rle(m));
            }
        }
        predPhrases.addAll(maskless);
        prediction.unlinkedMasks().forEach(m -> predMasks.add(rle(m)));
        if (listing != null) {
            return new GcgSample(imageId, groundTruth.caption(), gtLabels, gtMasks, prediction.caption(),
                    listing.phrases(), listing.masks(prediction).stream().map(GcgSample::rle).toList(),
                    otherReferences);
        }
        return new GcgSample(imageId, groundTruth.caption(), gtLabels, gtMasks, prediction.caption(), predPhrases,
                predMasks, otherReferences);
    }

    private static Rle rle(MaskRle m) {
        return Rle.fromString(m.counts(), m.height(), m.width());
    }
}

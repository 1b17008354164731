package studio.grounding.evaluation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Scores a split of {@link GcgSample}s with the metrics of GLaMM's {@code eval/gcg/evaluate.py}: mIoU, mask recall,
 * AP50, and the pycocoevalcap caption metrics (BLEU-1..4, CIDEr, ROUGE-L; METEOR is not available). Pure
 * computation, thread-safe if the {@link TextSimilarity} is.
 */
public final class GcgEvaluator {

    static final String METEOR_REASON = "METEOR 1.5 needs the Java meteor-1.5.jar with its paraphrase tables, which "
            + "are not available to the platform; it is not computed rather than approximated";

    private final TextSimilarity similarity;
    private final Set<MaskMetrics.Deviation> deviations;

    /** An evaluator that does exactly what evaluate.py does. */
    public GcgEvaluator(TextSimilarity similarity) {
        this(similarity, Set.of());
    }

    /** An evaluator with named deviations from evaluate.py (each one is said in the report's notes). */
    public GcgEvaluator(TextSimilarity similarity, Set<MaskMetrics.Deviation> deviations) {
        this.similarity = Objects.requireNonNull(similarity, "similarity");
        this.deviations = Set.copyOf(deviations);
    }

    /**
     * Evaluates one split.
     *
     * @throws IllegalArgumentException for an empty split or repeated image ids
     */
    public GcgReport evaluate(List<GcgSample> samples) {
        Objects.requireNonNull(samples, "samples");
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to evaluate");
        }
        Set<String> ids = new HashSet<>();
        for (GcgSample s : samples) {
            if (!ids.add(s.imageId())) {
                throw new IllegalArgumentException("image " + s.imageId() + " appears twice");
            }
        }
        long gtLabels = 0;
        long gtMasks = 0;
        long phrases = 0;
        long predMasks = 0;
        long emptyPairImages = 0;
        long multiReferenceImages = 0;
        String shapeMismatch = null;
        List<List<String>> hyps = new ArrayList<>();
        List<List<List<String>>> refs = new ArrayList<>();
        for (GcgSample s : samples) {
            gtLabels += s.gtLabels().size();
            gtMasks += s.gtMasks().size();
            phrases += s.predPhrases().size();
            predMasks += s.predMasks().size();
            if (MaskMetrics.emptyPairs(s) > 0) {
                emptyPairImages++;
            }
            String mismatch = MaskMetrics.shapeMismatch(s);
            if (mismatch != null && shapeMismatch == null) {
                shapeMismatch = "image " + s.imageId() + ": " + mismatch;
            }
            if (!s.otherReferences().isEmpty()) {
                multiReferenceImages++;
            }
            hyps.add(PtbTokenizer.tokenize(s.predCaption()));
            refs.add(s.references().stream().map(PtbTokenizer::tokenize).toList());
        }
        MaskMetrics.Recall recall = MaskMetrics.recall(samples, similarity, deviations);
        double ap50 = Ap50.compute(samples);
        double[] bleu = Bleu.corpus(hyps, refs);
        CiderD.Result cider = CiderD.compute(hyps, refs);
        double rouge = RougeL.mean(hyps, refs);

        List<GcgReport.ImageScores> perImage = new ArrayList<>();
        double miouSum = 0;
        for (int i = 0; i < samples.size(); i++) {
            GcgSample s = samples.get(i);
            double miou;
            try {
                miou = MaskMetrics.imageMiou(s.predMasks(), s.gtMasks(), deviations);
            } catch (ScriptIou.ShapeMismatch e) {
                miou = Double.NaN; // evaluate_mask_miou has no try: the script stops, there is no mIoU
            }
            miouSum += miou;
            MaskMetrics.ImageRecall r = recall.images().get(i);
            perImage.add(new GcgReport.ImageScores(s.imageId(), miou, r.truePositives(), r.labels(), r.failure(),
                    cider.perImage().get(i)));
        }

        List<String> notes = new ArrayList<>();
        if (!similarity.official()) {
            notes.add("recall uses the '" + similarity.name() + "' text similarity, not GLaMM's bert-base-uncased "
                    + "cosine: it is not comparable with published recall");
        }
        notes.add("captions are tokenised by a Java approximation of the Stanford PTB tokenizer (see PtbTokenizer); "
                + "BLEU, CIDEr and ROUGE-L can differ from pycocoevalcap for unusual punctuation");
        notes.add("METEOR and SPICE are not computed");
        if (emptyPairImages > 0) {
            notes.add(emptyPairImages + " image(s) have an empty predicted and an empty GT mask: "
                    + (deviations.contains(MaskMetrics.Deviation.EMPTY_PAIR_IOU_ZERO)
                    ? "deviation EMPTY_PAIR_IOU_ZERO: their IoU is taken as 0, where the script's NaN scores the image's "
                    + "mIoU 0 and can count a recall match; not comparable with published numbers"
                    : "their IoU is NaN as in the script, which scores the image's mIoU 0 and counts the pair in recall "
                    + "when the texts are similar"));
        }
        if (shapeMismatch != null) {
            notes.add("mIoU is NaN: evaluate.py stops with a ValueError in compute_miou (" + shapeMismatch
                    + "); AP50 counts such pairs as no match (pycocotools IoU -1) and recall 0 true positives for "
                    + "the image");
        }
        if (multiReferenceImages > 0) {
            notes.add(multiReferenceImages + " image(s) have several reference captions: BLEU, CIDEr and ROUGE-L "
                    + "score against all of them, mIoU and recall use the labels of the first, as evaluate.py does");
        }
        if (recall.failedImages() > 0) {
            notes.add(recall.failedImages() + " image(s) would make the script's recall fail (a mask matched at an "
                    + "index with no label/phrase): 0 true positives counted for them, as the script does");
        }
        if (ap50 < 0) {
            notes.add("AP50 is -1: no ground-truth masks in the split (COCOeval's value)");
        }
        if (Double.isNaN(cider.score())) {
            notes.add("CIDEr is NaN: no reference caption has any token (pycocoevalcap fails on this split)");
        }
        if (samples.size() == 1) {
            notes.add("CIDEr of a one-image split is always 0 (idf = log 1 - log 1)");
        }
        return new GcgReport(samples.size(), gtLabels, gtMasks, phrases, predMasks, miouSum / samples.size(),
                recall.value(), recall.similarity(), recall.official(), recall.failedImages(), ap50, bleu[0], bleu[1],
                bleu[2], bleu[3], cider.score(), rouge, null, METEOR_REASON, notes, perImage);
    }
}

package studio.grounding.evaluation;

import java.util.List;

/**
 * The numbers of one stored evaluation: a {@link GcgReport} without its per-image scores, in [0, 1] (AP50 -1
 * without ground truth, METEOR always null). Stored as the {@code metrics} jsonb of an evaluation.
 */
public record EvaluationMetrics(int images, long gtLabels, long gtMasks, long predictedPhrases, long predictedMasks,
                                double miou, double recall, long recallFailedImages, double ap50, double bleu1,
                                double bleu2, double bleu3, double bleu4, double cider, double rougeL, Double meteor,
                                String meteorReason, List<String> notes) {

    public EvaluationMetrics {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    static EvaluationMetrics of(GcgReport r, List<String> extraNotes) {
        List<String> notes = new java.util.ArrayList<>(extraNotes);
        notes.addAll(r.notes());
        return new EvaluationMetrics(r.images(), r.gtLabels(), r.gtMasks(), r.predictedPhrases(), r.predictedMasks(),
                r.miou(), r.recall(), r.recallFailedImages(), r.ap50(), r.bleu1(), r.bleu2(), r.bleu3(), r.bleu4(),
                r.cider(), r.rougeL(), r.meteor(), r.meteorReason(), notes);
    }
}

package studio.grounding.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import studio.grounding.evaluation.CorrectionEffort;
import studio.grounding.evaluation.Evaluation;
import studio.grounding.evaluation.EvaluationMetrics;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** An evaluation and a correction effort as a plain-text table (paper units, x100) and as JSON. */
final class EvaluationPrinter {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private EvaluationPrinter() {
    }

    static String table(Evaluation e, CorrectionEffort effort) {
        EvaluationMetrics m = e.metrics();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Evaluation #%d: model version %s on dataset %s (%s)%n", e.id(),
                e.modelVersion(), e.dataset(), e.snapshotNumber() == null ? "accepted test items now"
                        : "snapshot " + e.snapshotNumber() + " test split"));
        b.append(String.format(Locale.ROOT, "%d items, %d without a prediction (scored as empty); %d GT labels, "
                + "%d GT masks, %d predicted masks%n%n", e.itemsEvaluated(), e.itemsMissingPrediction(),
                m.gtLabels(), m.gtMasks(), m.predictedMasks()));
        b.append(String.format("%-10s %7s%n", "metric", "x100"));
        row(b, "mIoU", m.miou(), "");
        row(b, "recall", m.recall(), "text similarity " + e.recallLabel());
        if (m.ap50() < 0) {
            b.append(String.format("%-10s %7s  %s%n", "AP50", "-1", "no ground-truth masks"));
        } else {
            row(b, "AP50", m.ap50(), "");
        }
        row(b, "BLEU-1", m.bleu1(), "");
        row(b, "BLEU-2", m.bleu2(), "");
        row(b, "BLEU-3", m.bleu3(), "");
        row(b, "BLEU-4", m.bleu4(), "");
        row(b, "CIDEr", m.cider(), "");
        row(b, "ROUGE-L", m.rougeL(), "");
        b.append(String.format("%-10s %7s  %s%n", "METEOR", "-", "not computed: " + m.meteorReason()));
        m.notes().forEach(n -> b.append("note: ").append(n).append(System.lineSeparator()));

        b.append(String.format(Locale.ROOT, "%nCorrection effort of %s on %s: %d items pre-filled by it and then "
                        + "submitted or accepted (%d timed by the editor's active time, %d by wall time from pre-fill "
                        + "to the first human revision)%n", effort.modelVersion(), effort.dataset(), effort.items(),
                effort.activeTimeItems(), effort.wallTimeItems()));
        if (effort.items() > 0) {
            b.append(String.format("%-26s %10s %10s %12s%n", "per item", "mean", "median", "total"));
            effort(b, "caption characters edited", effort.captionCharEdits());
            effort(b, "caption words edited", effort.captionWordEdits());
            effort(b, "phrases added", effort.phrasesAdded());
            effort(b, "phrases removed", effort.phrasesRemoved());
            effort(b, "phrases re-spanned", effort.phrasesRespanned());
            effort(b, "masks redrawn", effort.masksRedrawn());
            b.append(String.format(Locale.ROOT, "%-26s %10.3f %10.3f %12s%n", "pre-fill/final mask IoU",
                    effort.meanMaskIou().mean(), effort.meanMaskIou().median(), ""));
            effort(b, "seconds", effort.seconds());
        }
        return b.toString();
    }

    /** {"evaluation": ..., "effort": ... (without the per-item list)}. */
    static String json(Evaluation e, CorrectionEffort effort) {
        CorrectionEffort aggregates = new CorrectionEffort(effort.modelVersion(), effort.dataset(), effort.items(),
                effort.activeTimeItems(), effort.wallTimeItems(), effort.captionCharEdits(),
                effort.captionWordEdits(), effort.phrasesAdded(), effort.phrasesRemoved(), effort.phrasesRespanned(),
                effort.masksRedrawn(), effort.meanMaskIou(), effort.seconds(), List.of());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("evaluation", e);
        doc.put("effort", aggregates);
        return JSON.writeValueAsString(doc);
    }

    private static void row(StringBuilder b, String name, double value, String note) {
        b.append(String.format(Locale.ROOT, "%-10s %7.1f%s%n", name, 100 * value, note.isEmpty() ? "" : "  " + note));
    }

    private static void effort(StringBuilder b, String name, CorrectionEffort.Aggregate a) {
        b.append(String.format(Locale.ROOT, "%-26s %10.2f %10.2f %12.1f%n", name, a.mean(), a.median(), a.total()));
    }
}

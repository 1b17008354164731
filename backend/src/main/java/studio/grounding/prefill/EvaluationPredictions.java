package studio.grounding.prefill;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import studio.grounding.annotation.GroundedCaption;
import tools.jackson.databind.json.JsonMapper;

/**
 * The table {@code evaluation_predictions}: a model version's newest prediction per item from an EVALUATION job,
 * stored as the caption's JSON (phrases with their RLE masks), never as a revision.
 */
@Component
class EvaluationPredictions {

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    EvaluationPredictions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the prediction, replacing the model version's earlier one for the item (newest wins). */
    void store(long modelVersionId, long itemId, long jobId, GroundedCaption caption, List<String> warnings,
               Map<String, Double> timings) {
        jdbc.sql("""
                        insert into evaluation_predictions (model_version_id, item_id, job_id, document, warnings, timings)
                        values (:model, :item, :job, cast(:doc as jsonb), :warnings, cast(:timings as jsonb))
                        on conflict (model_version_id, item_id) do update set job_id = excluded.job_id,
                          document = excluded.document, warnings = excluded.warnings, timings = excluded.timings,
                          created_at = now()""")
                .param("model", modelVersionId).param("item", itemId).param("job", jobId)
                .param("doc", json.writeValueAsString(caption)).param("warnings", warnings.toArray(String[]::new))
                .param("timings", timings == null || timings.isEmpty() ? null : json.writeValueAsString(timings))
                .update();
    }
}

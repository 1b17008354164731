package studio.grounding.interchange;

import java.util.Map;

/**
 * Platform metadata that travels with a record in the JSONL format only (GranD_f and COCO files have no place for it).
 * Every component may be {@code null}.
 *
 * @param status     review status, e.g. {@code accepted}
 * @param revisionId id of the revision the record was exported from
 * @param origin     where the record came from, e.g. {@code GranDf_HA_GCG_train.json} or {@code model}
 * @param model      model name when the record is a model prediction
 * @param extra      any further string key/value pairs; never {@code null} (empty when none)
 */
public record RecordMetadata(String status, String revisionId, String origin, String model, Map<String, String> extra) {

    /** No metadata at all. */
    public static final RecordMetadata NONE = new RecordMetadata(null, null, null, null, Map.of());

    public RecordMetadata {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** Whether nothing is set. */
    public boolean isEmpty() {
        return status == null && revisionId == null && origin == null && model == null && extra.isEmpty();
    }
}

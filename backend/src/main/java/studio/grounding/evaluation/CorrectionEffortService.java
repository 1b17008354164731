package studio.grounding.evaluation;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersion;

/**
 * Correction effort of a model version on a dataset, computed on demand from the append-only history: for each item
 * now SUBMITTED or ACCEPTED that has the model version's pre-fill (its latest revision of the item) and a human
 * revision after it, the pre-fill is compared with the latest such human revision ({@link EffortCalculator}).
 */
@Service
public class CorrectionEffortService {

    private static final int PAGE = 250;

    private final JdbcClient jdbc;
    private final DatasetService datasets;
    private final RevisionService revisions;
    private final EvaluationService evaluations;

    CorrectionEffortService(JdbcClient jdbc, DatasetService datasets, RevisionService revisions,
                            EvaluationService evaluations) {
        this.jdbc = jdbc;
        this.datasets = datasets;
        this.revisions = revisions;
        this.evaluations = evaluations;
    }

    /**
     * @throws studio.grounding.dataset.UnknownDatasetException for an unknown dataset
     * @throws UnknownModelVersionException                     for an unknown model version
     */
    @Transactional(readOnly = true)
    public CorrectionEffort effort(String modelName, String datasetName) {
        if (datasetName == null || datasetName.isBlank()) {
            throw new IllegalArgumentException("dataset: give the dataset whose correction effort to compute");
        }
        ModelVersion model = evaluations.requireModel(modelName);
        DatasetSummary dataset = datasets.require(datasetName.strip());
        Map<Long, Chain> chains = new LinkedHashMap<>();
        jdbc.sql("""
                        with pre as (
                          select distinct on (r.item_id) r.item_id, r.id, r.created_at
                          from caption_revisions r join items it on it.id = r.item_id
                          where it.dataset_id = :ds and it.status in ('SUBMITTED', 'ACCEPTED')
                            and r.origin = 'model' and r.model_version_id = :model
                          order by r.item_id, r.id desc)
                        select pre.item_id, pre.id as prefill_id, pre.created_at as prefill_at, im.file_name,
                          h.id as human_id, h.created_at as human_at,
                          (h.timings ->> 'activeSeconds')::float8 as active_seconds
                        from pre join items it on it.id = pre.item_id join images im on im.id = it.image_id
                          join caption_revisions h on h.item_id = pre.item_id and h.origin = 'human' and h.id > pre.id
                        order by pre.item_id, h.id""")
                .param("ds", dataset.id()).param("model", model.id())
                .query((ResultSet rs) -> {
                    long item = rs.getLong("item_id");
                    Chain c = chains.get(item);
                    if (c == null) {
                        c = new Chain(item, rs.getString("file_name"), rs.getLong("prefill_id"),
                                rs.getObject("prefill_at", OffsetDateTime.class),
                                rs.getObject("human_at", OffsetDateTime.class));
                        chains.put(item, c);
                    }
                    c.finalId = rs.getLong("human_id");
                    double active = rs.getDouble("active_seconds");
                    if (!rs.wasNull()) {
                        c.activeSeconds = (c.activeSeconds == null ? 0 : c.activeSeconds) + active;
                    }
                });
        List<Chain> all = new ArrayList<>(chains.values());
        List<ItemEffort> result = new ArrayList<>();
        for (int from = 0; from < all.size(); from += PAGE) {
            List<Chain> page = all.subList(from, Math.min(all.size(), from + PAGE));
            List<Long> ids = new ArrayList<>();
            page.forEach(c -> {
                ids.add(c.prefillId);
                ids.add(c.finalId);
            });
            Map<Long, GroundedCaption> captions = new HashMap<>();
            for (Revision r : revisions.getAll(ids)) {
                captions.put(r.id(), r.caption());
            }
            for (Chain c : page) {
                EffortCalculator.Counts n = EffortCalculator.compare(captions.get(c.prefillId), captions.get(c.finalId));
                Double seconds;
                String source;
                if (c.activeSeconds != null) {
                    seconds = c.activeSeconds;
                    source = "active";
                } else {
                    seconds = Duration.between(c.prefillAt, c.firstHumanAt).toNanos() / 1e9;
                    source = "wall";
                }
                result.add(new ItemEffort(c.itemId, c.fileName, c.prefillId, c.finalId, n.charEdits(), n.wordEdits(),
                        n.added(), n.removed(), n.respanned(), n.masksRedrawn(), n.meanMaskIou(), seconds, source));
            }
        }
        return CorrectionEffort.of(model.name(), dataset.name(), result);
    }

    private static final class Chain {
        final long itemId;
        final String fileName;
        final long prefillId;
        final OffsetDateTime prefillAt;
        final OffsetDateTime firstHumanAt;
        long finalId;
        Double activeSeconds;

        Chain(long itemId, String fileName, long prefillId, OffsetDateTime prefillAt, OffsetDateTime firstHumanAt) {
            this.itemId = itemId;
            this.fileName = fileName;
            this.prefillId = prefillId;
            this.prefillAt = prefillAt;
            this.firstHumanAt = firstHumanAt;
        }
    }
}

package studio.grounding.evaluation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.PhraseListing;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scores a model version on a dataset's human-accepted test split with {@link GcgEvaluator} and stores the result
 * per model version. Ground truth ({@link GroundTruthSource}): the dataset's accepted test items at their latest
 * human revisions, or a snapshot's test split at its frozen revisions;
 * predictions: the model version's latest MODEL revision of each of those items or its evaluation prediction (from
 * an EVALUATION pre-fill job, {@code evaluation_predictions}), whichever is newer. An item the model version has no
 * revision for is scored as an empty prediction (no caption, no masks: 0 mIoU for the image, its labels count in
 * recall's denominator, its masks are missed in AP50), and counted in {@link Evaluation#itemsMissingPrediction()}.
 */
@Service
public class EvaluationService {

    private static final int PAGE = 500;
    private static final GroundedCaption EMPTY = new GroundedCaption("", List.of(), List.of());

    private final JdbcClient jdbc;
    private final DatasetService datasets;
    private final ModelVersionService models;
    private final RevisionService revisions;
    private final GroundTruthSource currentItems;
    private final GroundTruthSource snapshots;
    private final TextSimilarity similarity;
    private final JsonMapper json = JsonMapper.builder().build();

    EvaluationService(JdbcClient jdbc, DatasetService datasets, ModelVersionService models, RevisionService revisions,
                      AcceptedTestSplit currentItems, SnapshotTestSplit snapshots, TextSimilarity recallSimilarity) {
        this.jdbc = jdbc;
        this.datasets = datasets;
        this.models = models;
        this.revisions = revisions;
        this.currentItems = currentItems;
        this.snapshots = snapshots;
        this.similarity = recallSimilarity;
    }

    /** The text similarity recall is computed with, and whether it is the official one. */
    public String recallLabel() {
        return Evaluation.label(similarity.name(), similarity.official());
    }

    /**
     * Evaluates a model version on a dataset and stores the result.
     *
     * @param snapshotNumber the snapshot whose test split is the ground truth, or null for the dataset's current
     *                       accepted test items
     * @throws studio.grounding.dataset.UnknownDatasetException for an unknown dataset
     * @throws UnknownModelVersionException                     for an unknown model version
     * @throws studio.grounding.snapshot.UnknownSnapshotException for an unknown snapshot
     * @throws IllegalArgumentException                         for a bad snapshot number or when there is no ground
     *                                                          truth
     */
    @Transactional
    public Evaluation evaluate(String datasetName, String modelName, Integer snapshotNumber, String user) {
        Objects.requireNonNull(user, "user");
        if (datasetName == null || datasetName.isBlank()) {
            throw new IllegalArgumentException("dataset: give the dataset to evaluate on");
        }
        if (snapshotNumber != null && snapshotNumber < 1) {
            throw new IllegalArgumentException("snapshot: a snapshot number is at least 1, not " + snapshotNumber);
        }
        DatasetSummary dataset = datasets.require(datasetName.strip());
        ModelVersion model = requireModel(modelName);
        GroundTruth truth = (snapshotNumber == null ? currentItems : snapshots)
                .load(dataset.id(), dataset.name(), snapshotNumber);
        if (truth.items().isEmpty()) {
            throw new IllegalArgumentException("dataset: \"" + dataset.name() + "\" has no ground truth to evaluate "
                    + "against (" + (snapshotNumber == null ? "no ACCEPTED items of split test with a human revision"
                    : "snapshot " + snapshotNumber + " has no test items") + ")");
        }
        Map<Long, Prediction> predictions = predictions(model.id(), truth.items());
        List<GcgSample> samples = new ArrayList<>(truth.items().size());
        int missing = 0;
        for (int from = 0; from < truth.items().size(); from += PAGE) {
            List<GroundTruthItem> page = truth.items().subList(from, Math.min(truth.items().size(), from + PAGE));
            List<Long> ids = new ArrayList<>();
            page.forEach(i -> ids.add(i.revisionId()));
            page.forEach(i -> {
                Prediction p = predictions.get(i.itemId());
                if (p != null && p.revisionId() != null) {
                    ids.add(p.revisionId());
                }
            });
            Map<Long, GroundedCaption> captions = new HashMap<>();
            for (Revision r : revisions.getAll(ids)) {
                captions.put(r.id(), r.caption());
            }
            Map<Long, List<String>> references = revisions.otherReferences(
                    page.stream().map(GroundTruthItem::revisionId).toList());
            Map<Long, PhraseListing> listings = revisions.listings(ids); // imported GLaMM files' own order
            for (GroundTruthItem item : page) {
                Prediction p = predictions.get(item.itemId());
                if (p == null) {
                    missing++;
                }
                GroundedCaption predicted = p == null ? EMPTY
                        : p.revisionId() != null ? captions.get(p.revisionId()) : p.caption();
                samples.add(GcgSample.of(item.imageId(), captions.get(item.revisionId()), predicted,
                        references.getOrDefault(item.revisionId(), List.of()),
                        p != null && p.revisionId() != null ? listings.get(p.revisionId()) : null));
            }
        }
        GcgReport report = new GcgEvaluator(similarity).evaluate(samples);
        List<String> extra = new ArrayList<>();
        if (missing > 0) {
            extra.add(missing + " of " + samples.size() + " item(s) have no prediction by " + model.name()
                    + ": scored as an empty prediction (no caption, no masks), which lowers every metric");
        }
        if (!truth.skipped().isEmpty()) {
            extra.add(truth.skipped().size() + " accepted test item(s) left out: " + String.join("; ",
                    truth.skipped().subList(0, Math.min(5, truth.skipped().size())))
                    + (truth.skipped().size() > 5 ? "; ..." : ""));
        }
        EvaluationMetrics metrics = EvaluationMetrics.of(report, extra);
        long id = jdbc.sql("""
                        insert into evaluations (model_version_id, dataset_id, snapshot_id, snapshot_number,
                          text_similarity, similarity_official, items_evaluated, items_missing_prediction, metrics,
                          created_by)
                        values (:model, :ds, :snapshotId, :snapshot, :similarity, :official, :items, :missing,
                          cast(:metrics as jsonb), :by)
                        returning id""")
                .param("model", model.id()).param("ds", dataset.id()).param("snapshotId", truth.snapshotId())
                .param("snapshot", truth.snapshotNumber()).param("similarity", similarity.name())
                .param("official", similarity.official()).param("items", samples.size()).param("missing", missing)
                .param("metrics", json.writeValueAsString(metrics)).param("by", user)
                .query(Long.class).single();
        return get(id);
    }

    /** A model version's evaluations, newest first. */
    @Transactional(readOnly = true)
    public List<Evaluation> evaluations(String modelName) {
        ModelVersion model = requireModel(modelName);
        return jdbc.sql(SELECT + " where e.model_version_id = :model order by e.created_at desc, e.id desc")
                .param("model", model.id()).query(this::of).list();
    }

    /** The newest evaluation of each model version on a dataset, model versions in registration order. */
    @Transactional(readOnly = true)
    public List<Evaluation> latestPerModelVersion(String datasetName) {
        DatasetSummary dataset = datasets.require(datasetName);
        return jdbc.sql("select * from (select distinct on (e.model_version_id) " + SELECT.substring(7)
                        + " where e.dataset_id = :ds order by e.model_version_id, e.created_at desc, e.id desc) x"
                        + " order by x.model_version_id")
                .param("ds", dataset.id()).query(this::of).list();
    }

    @Transactional(readOnly = true)
    public Evaluation get(long id) {
        return jdbc.sql(SELECT + " where e.id = :id").param("id", id).query(this::of).optional()
                .orElseThrow(() -> new IllegalArgumentException("No evaluation #" + id));
    }

    ModelVersion requireModel(String modelName) {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("model: give the model version to evaluate");
        }
        return models.find(modelName.strip()).orElseThrow(() -> new UnknownModelVersionException(modelName.strip()));
    }

    /**
     * A model version's prediction for an item: its latest MODEL revision ({@code revisionId}) or its evaluation
     * prediction from an EVALUATION job ({@code caption}), whichever is newer.
     */
    private record Prediction(Long revisionId, GroundedCaption caption, OffsetDateTime at) {
    }

    /** Item id to the model version's newest prediction of it, for the items that have one. */
    private Map<Long, Prediction> predictions(long modelVersionId, List<GroundTruthItem> items) {
        Map<Long, Prediction> result = new HashMap<>();
        Long[] itemIds = items.stream().map(GroundTruthItem::itemId).toArray(Long[]::new);
        jdbc.sql("""
                        select distinct on (item_id) item_id, id, created_at from caption_revisions
                        where item_id = any(:items) and origin = 'model' and model_version_id = :model
                        order by item_id, id desc""")
                .param("items", itemIds).param("model", modelVersionId)
                .query((ResultSet rs) -> {
                    result.put(rs.getLong("item_id"), new Prediction(rs.getLong("id"), null,
                            rs.getObject("created_at", OffsetDateTime.class)));
                });
        jdbc.sql("""
                        select item_id, document::text as document, created_at from evaluation_predictions
                        where item_id = any(:items) and model_version_id = :model""")
                .param("items", itemIds).param("model", modelVersionId)
                .query((ResultSet rs) -> {
                    OffsetDateTime at = rs.getObject("created_at", OffsetDateTime.class);
                    Prediction revision = result.get(rs.getLong("item_id"));
                    if (revision == null || !at.isBefore(revision.at())) {
                        result.put(rs.getLong("item_id"), new Prediction(null,
                                json.readValue(rs.getString("document"), GroundedCaption.class), at));
                    }
                });
        return result;
    }

    private static final String SELECT = """
            select e.id, e.model_version_id, m.name as model_name, e.dataset_id, d.name as dataset_name,
              e.snapshot_id, e.snapshot_number, e.text_similarity, e.similarity_official, e.items_evaluated,
              e.items_missing_prediction, e.metrics::text as metrics, e.created_at, e.created_by
            from evaluations e join model_versions m on m.id = e.model_version_id
              join datasets d on d.id = e.dataset_id""";

    private Evaluation of(ResultSet rs, int row) throws SQLException {
        long snapshotId = rs.getLong("snapshot_id");
        Long snapshot = rs.wasNull() ? null : snapshotId;
        int snapshotNumber = rs.getInt("snapshot_number");
        Integer number = rs.wasNull() ? null : snapshotNumber;
        String similarityName = rs.getString("text_similarity");
        boolean official = rs.getBoolean("similarity_official");
        return new Evaluation(rs.getLong("id"), rs.getLong("model_version_id"), rs.getString("model_name"),
                rs.getLong("dataset_id"), rs.getString("dataset_name"), snapshot, number, similarityName, official,
                Evaluation.label(similarityName, official), rs.getInt("items_evaluated"),
                rs.getInt("items_missing_prediction"),
                json.readValue(rs.getString("metrics"), EvaluationMetrics.class),
                rs.getObject("created_at", OffsetDateTime.class), rs.getString("created_by"));
    }
}

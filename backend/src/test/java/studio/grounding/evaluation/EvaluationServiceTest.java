package studio.grounding.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static studio.grounding.evaluation.EvaluationData.box;
import static studio.grounding.evaluation.EvaluationData.caption;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.Revision;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.UnknownDatasetException;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;
import studio.grounding.snapshot.UnknownSnapshotException;

/**
 * Evaluations wired to stored data on the real (embedded) PostgreSQL: two model versions scored against the same
 * accepted test items, the expected numbers computed by hand on 10x10 box masks.
 */
@StudioIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationServiceTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    EvaluationService evaluations;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SnapshotService snapshots;

    EvaluationData data;
    DatasetSummary dataset;

    /*
     * Ground truth (ACCEPTED, split test, latest HUMAN revision):
     *   dog.png  "A dog on grass."  "A dog" -> box (0,0) 5x5 = 25 px   (an earlier human revision had another mask)
     *   ball.png "A red ball."      "A red ball" -> box (5,5) 5x5 = 25 px
     * Left out: train.png (split train), open.png (SUBMITTED, not accepted), imported.png (ACCEPTED, import only).
     *
     * model-a: dog  "A dog on grass." "A dog" -> same box            IoU 25/25 = 1
     *          ball "A red ball."     "A red ball" -> (5,5) 5x4      IoU 20/25 = 0.8
     *   mIoU = (1 + 0.8) / 2 = 0.9; recall (exact-match): both IoU >= 0.5 with equal text -> 2/2 = 1;
     *   AP50: 2 detections, both true positives, 2 GT -> precision 1 at every recall -> AP 1.
     * model-b: dog  "A cat on grass." "A cat" -> (0,0) 5x2 = 10 px inside the GT box   IoU 10/25 = 0.4
     *          ball: no prediction -> scored as empty (image mIoU 0, its label counted, its GT missed)
     *   mIoU = (0.4 + 0) / 2 = 0.2; recall: best IoU 0.4 < 0.5 -> 0 TP; 0/2 = 0;
     *   AP50: one detection, a false positive (IoU 0.4) -> AP 0.
     */
    @BeforeAll
    void data() {
        data = new EvaluationData(context);
        dataset = data.dataset("eval-" + System.nanoTime());
        var a = data.model("model-a-" + dataset.id());
        var b = data.model("model-b-" + dataset.id());

        ItemInfo dog = data.item(dataset, "dog.png", Split.TEST);
        Revision dogA = data.model(dog, a, caption("A dog on grass.", "A dog", List.of(box(0, 0, 5, 5))));
        data.model(dog, b, caption("A cat on grass.", "A cat", List.of(box(0, 0, 5, 2))));
        Revision first = data.human(dog, dogA.id(), caption("A dog on grass.", "A dog", List.of(box(5, 5, 5, 5))),
                Map.of());
        data.human(dog, first.id(), caption("A dog on grass.", "A dog", List.of(box(0, 0, 5, 5))), Map.of());
        data.status(dog, ItemStatus.ACCEPTED);

        ItemInfo ball = data.item(dataset, "ball.png", Split.TEST);
        Revision ballA = data.model(ball, a, caption("A red ball.", "A red ball", List.of(box(5, 5, 5, 4))));
        data.human(ball, ballA.id(), caption("A red ball.", "A red ball", List.of(box(5, 5, 5, 5))), Map.of());
        data.status(ball, ItemStatus.ACCEPTED);

        ItemInfo train = data.item(dataset, "train.png", Split.TRAIN);
        data.model(train, b, caption("A dog.", "A dog", List.of(box(0, 0, 1, 1))));
        data.human(train, null, caption("A dog.", "A dog", List.of(box(0, 0, 1, 1))), Map.of());
        data.status(train, ItemStatus.ACCEPTED);

        ItemInfo open = data.item(dataset, "open.png", Split.TEST);
        data.human(open, null, caption("A dog.", "A dog", List.of(box(0, 0, 1, 1))), Map.of());
        data.status(open, ItemStatus.SUBMITTED);

        ItemInfo imported = data.item(dataset, "imported.png", Split.TEST);
        data.imported(imported, caption("A dog.", "A dog", List.of(box(0, 0, 1, 1))));
        data.status(imported, ItemStatus.ACCEPTED);
    }

    @Test
    void scoresEachModelVersionAgainstTheAcceptedTestItemsAndStoresTheResult() {
        Evaluation a = evaluations.evaluate(dataset.name(), "model-a-" + dataset.id(), null, "curator");
        assertThat(a.itemsEvaluated()).isEqualTo(2);
        assertThat(a.itemsMissingPrediction()).isZero();
        assertThat(a.metrics().miou()).isCloseTo(0.9, within(1e-12));
        assertThat(a.metrics().recall()).isEqualTo(1.0);
        assertThat(a.metrics().ap50()).isCloseTo(1.0, within(1e-9));
        assertThat(a.metrics().gtLabels()).isEqualTo(2);
        assertThat(a.metrics().bleu1()).isCloseTo(1.0, within(1e-6));
        assertThat(a.snapshotNumber()).isNull();
        assertThat(a.createdBy()).isEqualTo("curator");
        assertThat(a.metrics().notes()).anyMatch(n -> n.contains("1 accepted test item(s) left out: imported.png"));

        Evaluation b = evaluations.evaluate(dataset.name(), "model-b-" + dataset.id(), null, "curator");
        assertThat(b.itemsEvaluated()).isEqualTo(2);
        assertThat(b.itemsMissingPrediction()).isEqualTo(1);
        assertThat(b.metrics().miou()).isCloseTo(0.2, within(1e-12));
        assertThat(b.metrics().recall()).isZero();
        assertThat(b.metrics().ap50()).isZero();
        assertThat(b.metrics().predictedMasks()).isEqualTo(1);
        assertThat(b.metrics().notes()).anyMatch(n -> n.startsWith("1 of 2 item(s) have no prediction by model-b-"));

        assertThat(evaluations.evaluations("model-a-" + dataset.id())).first()
                .usingRecursiveComparison().isEqualTo(a);
        assertThat(evaluations.latestPerModelVersion(dataset.name())).extracting(Evaluation::modelVersion)
                .containsExactly("model-a-" + dataset.id(), "model-b-" + dataset.id());
    }

    /**
     * Issue 10: the ground truth's further reference captions and an imported prediction's own listing reach the
     * metrics. GT (human, ACCEPTED, test) "A dog and a ball.": "A dog" box (0,0) 5x5, "a ball" box (5,5) 5x5, with
     * reference 1 "A dog with a ball."; the model's prediction "A dog with a ball." listed as ["a ball", "A dog"]
     * with masks [(9,9) 1x1, (0,0) 5x5] (out of caption order, the first mask wrong).
     */
    @Test
    void scoresAgainstEveryReferenceAndTheModelsOwnListing() {
        DatasetSummary ds = data.dataset("eval-listing-" + System.nanoTime());
        var c = data.model("model-c-" + ds.id());
        ItemInfo pair = data.item(ds, "pair.png", Split.TEST);
        GroundedCaption predicted = caption("A dog with a ball.", "A dog", List.of(box(0, 0, 5, 5)), "a ball",
                List.of(box(9, 9, 1, 1)));
        Revision p = data.revisions.append(new studio.grounding.annotation.NewRevision(pair.id(), null, predicted,
                        studio.grounding.annotation.Origin.MODEL, "importer", c.id(), "test", List.of(), Map.of(),
                        EvaluationData.H, EvaluationData.W), null,
                new studio.grounding.annotation.PhraseListing(List.of("a ball", "A dog"), List.of(1, 0)));
        data.revisions.append(new studio.grounding.annotation.NewRevision(pair.id(), p.id(), caption(
                        "A dog and a ball.", "A dog", List.of(box(0, 0, 5, 5)), "a ball", List.of(box(5, 5, 5, 5))),
                studio.grounding.annotation.Origin.HUMAN, "annotator", null, "test", List.of(), Map.of(),
                EvaluationData.H, EvaluationData.W), List.of("A dog with a ball."));
        data.status(pair, ItemStatus.ACCEPTED);

        Evaluation e = evaluations.evaluate(ds.name(), "model-c-" + ds.id(), null, "curator");
        // AP50, detections as listed: (9,9) 1x1 has IoU 1/25 with the ball -> FP, then the dog -> TP; 2 GT:
        // pr 0 .5 -> monotone .5 .5, rc 0 .5 -> thresholds 0..0.5 -> .5 (51) -> 25.5 / 101
        // (in caption order it would be T F -> 51 / 101)
        assertThat(e.metrics().ap50()).isCloseTo(25.5 / 101, within(1e-12));
        // recall: gt x pred [[0, 1], [0.04, 0]] -> (0,1) "A dog"/"A dog" TP, then 0.04 < 0.5 -> 1 of 2
        assertThat(e.metrics().recall()).isEqualTo(0.5);
        // BLEU-1: the prediction equals reference 1 -> 1 (with reference 0 only: 4 of 5 unigrams, 0.8)
        assertThat(e.metrics().bleu1()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void recallIsLabelledAsAFallbackWhereverItIsStored() {
        Evaluation e = evaluations.evaluate(dataset.name(), "model-a-" + dataset.id(), null, "curator");
        assertThat(e.recallSimilarity()).isEqualTo("exact-match");
        assertThat(e.recallOfficial()).isFalse();
        assertThat(e.recallLabel()).isEqualTo("fallback: exact-match, not the official number");
        assertThat(e.metrics().notes()).anyMatch(n -> n.contains("not comparable with published recall"));
        assertThat(jdbc.sql("select similarity_official from evaluations where id = :id").param("id", e.id())
                .query(Boolean.class).single()).isFalse();
    }

    /*
     * x.png: model-s predicts "A dog" -> box (0,0) 5x5. Accepted as the same box, then snapshot 1 freezes it; later
     * the ground truth is redrawn as (0,0) 5x2 (IoU 10/25 = 0.4 with the prediction).
     * Against snapshot 1: mIoU 1; against the current accepted items: mIoU 0.4.
     */
    @Test
    void scoresAgainstASnapshotsFrozenTestSplit() {
        DatasetSummary ds = data.dataset("snap-" + System.nanoTime());
        var model = data.model("model-s-" + ds.id());
        ItemInfo x = data.item(ds, "x.png", Split.TEST);
        Revision pre = data.model(x, model, caption("A dog.", "A dog", List.of(box(0, 0, 5, 5))));
        Revision accepted = data.human(x, pre.id(), caption("A dog.", "A dog", List.of(box(0, 0, 5, 5))), Map.of());
        data.status(x, ItemStatus.ACCEPTED);
        SnapshotInfo snapshot = snapshots.create(ds.name(), "curator", null);
        data.human(x, accepted.id(), caption("A dog.", "A dog", List.of(box(0, 0, 5, 2))), Map.of());

        Evaluation frozen = evaluations.evaluate(ds.name(), model.name(), snapshot.number(), "curator");
        assertThat(frozen.metrics().miou()).isEqualTo(1.0);
        assertThat(frozen.snapshotNumber()).isEqualTo(snapshot.number());
        assertThat(frozen.snapshotId()).isEqualTo(snapshot.id());
        Evaluation now = evaluations.evaluate(ds.name(), model.name(), null, "curator");
        assertThat(now.metrics().miou()).isCloseTo(0.4, within(1e-12));
        assertThat(now.snapshotNumber()).isNull();

        assertThatThrownBy(() -> evaluations.evaluate(ds.name(), model.name(), snapshot.number() + 1, "curator"))
                .isInstanceOf(UnknownSnapshotException.class);
    }

    @Test
    void badRequestsNameTheFieldAndStoreNothing() {
        long before = count();
        assertThatThrownBy(() -> evaluations.evaluate(dataset.name(), "no-such-model", null, "c"))
                .isInstanceOf(UnknownModelVersionException.class).hasMessageContaining("no-such-model");
        assertThatThrownBy(() -> evaluations.evaluate("no-such-dataset", "model-a-" + dataset.id(), null, "c"))
                .isInstanceOf(UnknownDatasetException.class);
        assertThatThrownBy(() -> evaluations.evaluate(dataset.name(), "model-a-" + dataset.id(), 0, "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("snapshot:");
        DatasetSummary empty = data.dataset("empty-" + System.nanoTime());
        assertThatThrownBy(() -> evaluations.evaluate(empty.name(), "model-a-" + dataset.id(), null, "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ground truth");
        assertThat(count()).isEqualTo(before);
    }

    private long count() {
        return jdbc.sql("select count(*) from evaluations").query(Long.class).single();
    }
}

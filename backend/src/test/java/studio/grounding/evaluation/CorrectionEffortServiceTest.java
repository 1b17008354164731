package studio.grounding.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static studio.grounding.evaluation.EvaluationData.box;
import static studio.grounding.evaluation.EvaluationData.caption;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.Revision;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.model.ModelVersion;

/** Correction effort from stored histories on the real (embedded) PostgreSQL, on a hand-made pre-fill/final pair. */
@StudioIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorrectionEffortServiceTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    CorrectionEffortService efforts;

    DatasetSummary dataset;
    ModelVersion model;
    Revision wallPrefill;
    Revision wallFirstHuman;

    /*
     * edited.png, pre-fill -> accepted:
     *   "A dog near a tree on the grass."  ->  "A dog near a ball on the grass."
     *   "A dog" [0,5)      box (0,0) 4x4 = M1        ->  "A dog" [0,5)   M1 (IoU 1: kept)
     *   "a tree" [11,17)   box (0,8) 2x2 = M3        ->  "a ball" [11,17) box (7,0) 3x3 (new: overlaps nothing, IoU 0)
     *   "the grass" [21,30) box (5,5) 5x5 = M2       ->  "grass" [25,30) box (5,5) 5x4 (20/25 = IoU 0.8)
     *   characters: tree -> ball, four substitutions = 4; words: tree -> ball = 1
     *   "a tree" keeps only "a " (2 of 6 characters): removed; "a ball": added;
     *   "the grass" keeps all 9 characters, carried to [21,30), final [25,30): re-spanned
     *   masks redrawn: the new one (IoU 0) and the grass (0.8 < 0.99) = 2; mean IoU (1 + 0 + 0.8) / 3 = 0.6
     *   time: activeSeconds 42.5 from the editor
     * wall.png: unchanged, two human revisions without timings: wall time from the pre-fill to the first one
     * active.png: unchanged, two human revisions with activeSeconds 10 and 5: 15
     * not counted: open.png (IN_PROGRESS), other.png (another model's pre-fill), untouched.png (no human revision)
     */
    @BeforeAll
    void data() {
        EvaluationData data = new EvaluationData(context);
        dataset = data.dataset("effort-" + System.nanoTime());
        model = data.model("effort-model-" + dataset.id());
        ModelVersion other = data.model("effort-other-" + dataset.id());

        ItemInfo edited = data.item(dataset, "edited.png", Split.TRAIN);
        Revision pre = data.model(edited, model, caption("A dog near a tree on the grass.",
                "A dog", List.of(box(0, 0, 4, 4)), "a tree", List.of(box(0, 8, 2, 2)),
                "the grass", List.of(box(5, 5, 5, 5))));
        data.human(edited, pre.id(), caption("A dog near a ball on the grass.",
                "A dog", List.of(box(0, 0, 4, 4)), "a ball", List.of(box(7, 0, 3, 3)),
                "grass", List.of(box(5, 5, 5, 4))), Map.of("activeSeconds", 42.5));
        data.status(edited, ItemStatus.ACCEPTED);

        GroundedCaption same = caption("A cat.", "A cat", List.of(box(0, 0, 2, 2)));
        ItemInfo wall = data.item(dataset, "wall.png", Split.TEST);
        wallPrefill = data.model(wall, model, same);
        wallFirstHuman = data.human(wall, wallPrefill.id(), same, Map.of());
        data.human(wall, wallFirstHuman.id(), same, Map.of());
        data.status(wall, ItemStatus.SUBMITTED);

        ItemInfo active = data.item(dataset, "active.png", Split.TEST);
        Revision activePre = data.model(active, model, same);
        Revision h1 = data.human(active, activePre.id(), same, Map.of("activeSeconds", 10.0));
        data.human(active, h1.id(), same, Map.of("activeSeconds", 5.0, "other", 99.0));
        data.status(active, ItemStatus.ACCEPTED);

        ItemInfo open = data.item(dataset, "open.png", Split.TEST);
        Revision openPre = data.model(open, model, same);
        data.human(open, openPre.id(), caption("A dog.", "A dog", List.of()), Map.of());
        data.status(open, ItemStatus.IN_PROGRESS);

        ItemInfo otherItem = data.item(dataset, "other.png", Split.TEST);
        Revision otherPre = data.model(otherItem, other, same);
        data.human(otherItem, otherPre.id(), same, Map.of());
        data.status(otherItem, ItemStatus.ACCEPTED);

        ItemInfo untouched = data.item(dataset, "untouched.png", Split.TEST);
        data.model(untouched, model, same);
        data.status(untouched, ItemStatus.ACCEPTED);
    }

    @Test
    void comparesThePrefillWithTheLatestHumanRevision() {
        CorrectionEffort effort = efforts.effort(model.name(), dataset.name());
        assertThat(effort.perItem()).extracting(ItemEffort::fileName)
                .containsExactly("edited.png", "wall.png", "active.png");

        ItemEffort edited = effort.perItem().getFirst();
        assertThat(edited.captionCharEdits()).isEqualTo(4);
        assertThat(edited.captionWordEdits()).isEqualTo(1);
        assertThat(edited.phrasesAdded()).isEqualTo(1);
        assertThat(edited.phrasesRemoved()).isEqualTo(1);
        assertThat(edited.phrasesRespanned()).isEqualTo(1);
        assertThat(edited.masksRedrawn()).isEqualTo(2);
        assertThat(edited.meanMaskIou()).isCloseTo(0.6, within(1e-12));
        assertThat(edited.seconds()).isEqualTo(42.5);
        assertThat(edited.timeSource()).isEqualTo("active");
    }

    @Test
    void timeIsActiveSecondsSummedOrWallTimeToTheFirstHumanRevision() {
        CorrectionEffort effort = efforts.effort(model.name(), dataset.name());
        ItemEffort wall = effort.perItem().get(1);
        assertThat(wall.timeSource()).isEqualTo("wall");
        assertThat(wall.seconds()).isEqualTo(
                Duration.between(wallPrefill.createdAt(), wallFirstHuman.createdAt()).toNanos() / 1e9);
        assertThat(wall.captionCharEdits()).isZero();
        assertThat(wall.masksRedrawn()).isZero();
        assertThat(wall.meanMaskIou()).isEqualTo(1.0);

        ItemEffort active = effort.perItem().get(2);
        assertThat(active.timeSource()).isEqualTo("active");
        assertThat(active.seconds()).isEqualTo(15.0);
        assertThat(effort.activeTimeItems()).isEqualTo(2);
        assertThat(effort.wallTimeItems()).isEqualTo(1);
    }

    @Test
    void aggregatesPerModelVersion() {
        CorrectionEffort effort = efforts.effort(model.name(), dataset.name());
        assertThat(effort.items()).isEqualTo(3);
        // character edits 4, 0, 0
        assertThat(effort.captionCharEdits()).isEqualTo(new CorrectionEffort.Aggregate(3, 4.0 / 3, 0, 4));
        // masks redrawn 2, 0, 0; mean IoU 0.6, 1, 1 -> median 1
        assertThat(effort.masksRedrawn().total()).isEqualTo(2);
        assertThat(effort.meanMaskIou().median()).isEqualTo(1.0);
        assertThat(effort.meanMaskIou().mean()).isCloseTo(2.6 / 3, within(1e-12));
    }

    @Test
    void unknownModelOrDatasetIsRefused() {
        assertThatThrownBy(() -> efforts.effort("no-such-model", dataset.name()))
                .isInstanceOf(UnknownModelVersionException.class);
        assertThatThrownBy(() -> efforts.effort(model.name(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dataset:");
    }
}

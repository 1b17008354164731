package studio.grounding.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static studio.grounding.WorkflowFixture.box;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.WorkflowFixture;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.IllegalStatusTransitionException;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

@StudioIntegrationTest
class EditingServiceTest {

    @Autowired
    EditingService editing;
    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    ItemEvents events;
    @Autowired
    UserService users;
    @Autowired
    ModelVersionService models;
    @Autowired
    JdbcClient jdbc;

    WorkflowFixture fixture;
    String ann;
    String other;
    ItemInfo item;
    Revision prefill;

    @BeforeEach
    void setUp() {
        fixture = new WorkflowFixture(datasets, revisions, users, models);
        ann = fixture.user("ann", Role.ANNOTATOR);
        other = fixture.user("bob", Role.ANNOTATOR);
        item = fixture.prefilledItem();
        prefill = revisions.latest(item.id()).orElseThrow();
    }

    /** The pre-fill with "A dog" re-spanned to "A brown dog" and both phrases masked. */
    EditorDocument edited() {
        return new EditorDocument("A brown dog on grass.", List.of(
                new EditorDocument.Phrase(0, 11, "A brown dog", List.of(mask(box(0, 0, 3, 3))), false),
                new EditorDocument.Phrase(15, 20, "grass", List.of(mask(box(0, 4, 8, 2))), false)), List.of(), List.of());
    }

    static EditorDocument.Mask mask(MaskRle rle) {
        return new EditorDocument.Mask(rle.height(), rle.width(), rle.counts());
    }

    @Test
    void theFirstUserHoldsTheLockAndTheSecondSeesWhoReadOnly() {
        EditSession first = editing.open(item.id(), ann);
        EditSession second = editing.open(item.id(), other);

        assertThat(first.editable()).isTrue();
        assertThat(first.lockHolder()).isEqualTo(ann);
        assertThat(first.base()).isEqualTo(prefill);
        assertThat(first.prefill()).contains(prefill);
        assertThat(first.status()).isEqualTo(ItemStatus.PREFILLED);
        assertThat(second.editable()).isFalse();
        assertThat(second.lockHolder()).isEqualTo(ann);
        assertThat(second.lockedSince()).isEqualTo(first.lockedSince());
        assertThatThrownBy(() -> editing.saveDraft(item.id(), other, prefill.id(), edited().toJson()))
                .isInstanceOfSatisfying(LockLostException.class, e -> assertThat(e.holder()).isEqualTo(ann));
        assertThat(editing.draft(item.id(), other)).isEmpty();

        editing.heartbeat(item.id(), ann);
        assertThat(editing.open(item.id(), ann).lockedSince()).isEqualTo(first.lockedSince());
    }

    @Test
    void anExpiredLockIsTakenOverAndTheFormerHolderLearnsIt() {
        editing.open(item.id(), ann);
        jdbc.sql("update item_locks set expires_at = now() - interval '1 second' where item_id = :i")
                .param("i", item.id()).update();

        EditSession second = editing.open(item.id(), other);

        assertThat(second.editable()).isTrue();
        assertThat(second.lockHolder()).isEqualTo(other);
        assertThatThrownBy(() -> editing.heartbeat(item.id(), ann)).isInstanceOf(LockLostException.class)
                .hasMessageContaining(other);
        editing.release(item.id(), other);
        assertThat(editing.open(item.id(), ann).editable()).isTrue();
    }

    @Test
    void draftsAreUpsertedWithAVersionAndRestoredOnOpen() {
        editing.open(item.id(), ann);

        DraftSaved v1 = editing.saveDraft(item.id(), ann, prefill.id(), EditorDocument.of(prefill.caption()).toJson());
        DraftSaved v2 = editing.saveDraft(item.id(), ann, prefill.id(), edited().toJson());

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.IN_PROGRESS);
        Draft draft = editing.open(item.id(), ann).draft().orElseThrow();
        assertThat(draft.version()).isEqualTo(2);
        assertThat(draft.baseRevisionId()).isEqualTo(prefill.id());
        assertThat(EditorDocument.fromJson(draft.documentJson())).isEqualTo(edited());
        assertThat(draft.inConflict()).isFalse();

        editing.discardDraft(item.id(), ann);
        assertThat(editing.open(item.id(), ann).draft()).isEmpty();
    }

    @Test
    void aBadDraftIsRefusedNamingTheFieldAndNothingIsStored() {
        editing.open(item.id(), ann);
        String bad = edited().toJson().replace("\"start\":15", "\"start\":\"15\"");

        assertThatThrownBy(() -> editing.saveDraft(item.id(), ann, prefill.id(), bad))
                .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("phrases[1].start: must be an integer");
        assertThatThrownBy(() -> editing.saveDraft(item.id(), ann, 999_999L, edited().toJson()))
                .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("baseRevisionId");
        assertThat(editing.draft(item.id(), ann)).isEmpty();
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.PREFILLED);
    }

    @Test
    void submitStoresAHumanRevisionOnTheBaseAndClosesTheWork() {
        editing.open(item.id(), ann);
        editing.saveDraft(item.id(), ann, prefill.id(), edited().toJson());

        SubmitResult result = editing.submit(item.id(), ann, prefill.id(), edited(), 42.5);

        Revision stored = ((SubmitResult.Submitted) result).revision();
        assertThat(stored.origin()).isEqualTo(Origin.HUMAN);
        assertThat(stored.author()).isEqualTo(ann);
        assertThat(stored.parentId()).isEqualTo(prefill.id());
        assertThat(stored.caption()).isEqualTo(edited().toCaption());
        assertThat(jdbc.sql("select timings->>'activeSeconds' from caption_revisions where id = :id")
                .param("id", stored.id()).query(String.class).single()).isEqualTo("42.5");
        ItemInfo after = datasets.item(item.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(ItemStatus.SUBMITTED);
        assertThat(after.latestRevisionId()).isEqualTo(stored.id());
        assertThat(editing.draft(item.id(), ann)).isEmpty();
        assertThat(events.of(item.id())).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ItemEventKind.SUBMITTED);
            assertThat(e.author()).isEqualTo(ann);
            assertThat(e.revisionId()).isEqualTo(stored.id());
        });
        // lock released; the annotator can no longer edit a submitted item, a reviewer can
        EditSession annotatorView = editing.open(item.id(), other);
        assertThat(annotatorView.editable()).isFalse();
        assertThat(annotatorView.lockHolder()).isNull();
        assertThatThrownBy(() -> editing.saveDraft(item.id(), ann, stored.id(), edited().toJson()))
                .isInstanceOf(ItemReadOnlyException.class);
        assertThat(editing.open(item.id(), fixture.user("rita", Role.REVIEWER)).editable()).isTrue();
    }

    @Test
    void anItemWithoutAnyRevisionIsSubmittedOnANullBase() {
        ItemInfo fresh = fixture.newItem();
        assertThat(datasets.item(fresh.id()).orElseThrow().latestRevisionId()).as("no revision, not revision 0").isNull();

        SubmitResult result = editing.submit(fresh.id(), ann, null, edited(), 1);

        Revision stored = ((SubmitResult.Submitted) result).revision();
        assertThat(stored.parentId()).isNull();
        assertThat(datasets.item(fresh.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);
    }

    @Test
    void aSubmitBlockedByAnotherUsersLockKeepsTheWorkAsTheSubmittersDraft() {
        editing.open(item.id(), other); // bob holds the lock

        assertThatThrownBy(() -> editing.submit(item.id(), ann, prefill.id(), edited(), 5))
                .isInstanceOfSatisfying(LockLostException.class, e -> {
                    assertThat(e.holder()).isEqualTo(other);
                    assertThat(e.workKept()).isTrue();
                    assertThat(e.getMessage()).contains("your work was kept as your draft");
                });

        Draft kept = editing.draft(item.id(), ann).orElseThrow();
        assertThat(EditorDocument.fromJson(kept.documentJson())).isEqualTo(edited());
        assertThat(kept.baseRevisionId()).isEqualTo(prefill.id());
        assertThat(revisions.latest(item.id())).contains(prefill);
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.PREFILLED);
    }

    @Test
    void submitRejectsEveryProblemAndStoresNothing() {
        editing.open(item.id(), ann);
        MaskRle wrongSize = new MaskRle(5, 8, studio.grounding.mask.Rle.fromBbox(new double[] {0, 0, 1, 1}, 5, 8)
                .toCompressedString());
        EditorDocument doc = new EditorDocument("A brown dog on grass.", List.of(
                new EditorDocument.Phrase(0, 11, "A brown dog", List.of(mask(wrongSize)), false),
                new EditorDocument.Phrase(15, 20, "grass", List.of(), false),
                new EditorDocument.Phrase(0, 0, "cat", List.of(), true)),
                List.of(mask(box(1, 1, 1, 1)), mask(box(2, 2, 1, 1))), List.of("mask:1:unlinked"));

        SubmitResult result = editing.submit(item.id(), ann, prefill.id(), doc, 3);

        assertThat(result).isInstanceOfSatisfying(SubmitResult.Rejected.class, r -> assertThat(r.problems()).satisfiesExactly(
                p -> assertThat(p).isEqualTo("phrases[0].masks[0].size: [5, 8] does not match the image size [6, 8]"),
                p -> assertThat(p).startsWith("phrases[1].masks: phrase \"grass\" has no mask"),
                p -> assertThat(p).startsWith("phrases[2].text: the text of phrase \"cat\" was deleted"),
                p -> assertThat(p).startsWith("unlinkedMasks[0]: mask belongs to no phrase")));
        assertThat(revisions.history(item.id())).hasSize(1);
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.PREFILLED);
        assertThat(events.of(item.id())).isEmpty();
    }

    @Test
    void aStaleBaseIsAConflictThatKeepsBothAndOverwritesNothing() {
        editing.open(item.id(), ann);
        Revision theirs = fixture.human(item.id(), prefill.id(), prefill.caption(), other);

        SubmitResult result = editing.submit(item.id(), ann, prefill.id(), edited(), 10);

        SubmitResult.Conflict conflict = (SubmitResult.Conflict) result;
        assertThat(conflict.theirs()).isEqualTo(theirs);
        assertThat(conflict.mine().conflictRevisionId()).isEqualTo(theirs.id());
        assertThat(conflict.mine().baseRevisionId()).isEqualTo(prefill.id());
        assertThat(EditorDocument.fromJson(conflict.mine().documentJson())).isEqualTo(edited());
        assertThat(editing.draft(item.id(), ann)).contains(conflict.mine());
        assertThat(revisions.latest(item.id())).contains(theirs);
        assertThat(events.of(item.id())).isEmpty();

        // after looking at both, the annotator submits on top of theirs
        SubmitResult again = editing.submit(item.id(), ann, theirs.id(), edited(), 12);
        assertThat(again).isInstanceOf(SubmitResult.Submitted.class);
        assertThat(((SubmitResult.Submitted) again).revision().parentId()).isEqualTo(theirs.id());
    }

    @Test
    void ofTwoConcurrentSubmitsOfTheSameBaseOneWinsAndTheOtherGetsTheConflict() throws Exception {
        List<SubmitResult> results = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            ItemInfo contested = fixture.prefilledItem();
            long base = contested.latestRevisionId();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<SubmitResult>> futures = new ArrayList<>();
                for (String user : List.of(ann, other)) {
                    Callable<SubmitResult> task = () -> {
                        start.await();
                        return editing.submit(contested.id(), user, base, edited(), 1);
                    };
                    futures.add(pool.submit(task));
                }
                start.countDown();
                List<SubmitResult> round2 = List.of(futures.get(0).get(), futures.get(1).get());
                assertThat(round2).filteredOn(r -> r instanceof SubmitResult.Submitted).hasSize(1);
                assertThat(round2).filteredOn(r -> r instanceof SubmitResult.Conflict).hasSize(1);
                assertThat(revisions.history(contested.id())).hasSize(2);
                results.addAll(round2);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(results).hasSize(10);
    }

    @Test
    void aRejectedItemGoesBackInProgressWhenEditedAndIllegalMovesAreRefused() {
        editing.open(item.id(), ann);
        editing.submit(item.id(), ann, prefill.id(), edited(), 1);
        assertThatThrownBy(() -> datasets.moveStatus(item.id(), ItemStatus.IN_PROGRESS))
                .isInstanceOf(IllegalStatusTransitionException.class).hasMessageContaining("SUBMITTED to IN_PROGRESS");
        datasets.moveStatus(item.id(), ItemStatus.REJECTED);
        long latest = datasets.item(item.id()).orElseThrow().latestRevisionId();

        assertThat(editing.open(item.id(), ann).editable()).isTrue();
        editing.saveDraft(item.id(), ann, latest, edited().toJson());

        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.IN_PROGRESS);
        assertThatThrownBy(() -> datasets.moveStatus(item.id(), ItemStatus.ACCEPTED))
                .isInstanceOf(IllegalStatusTransitionException.class);
    }
}

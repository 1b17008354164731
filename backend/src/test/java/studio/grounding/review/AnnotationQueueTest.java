package studio.grounding.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.WorkflowFixture;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

@StudioIntegrationTest
class AnnotationQueueTest {

    @Autowired
    AnnotationQueue queue;
    @Autowired
    ReviewService review;
    @Autowired
    EditingService editing;
    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    UserService users;
    @Autowired
    ModelVersionService models;

    @Test
    void rejectedFirstThenStartedThenPrefilledAndNewNotHeldByOthers() {
        WorkflowFixture fixture = new WorkflowFixture(datasets, revisions, users, models);
        String ann = fixture.user("ann", Role.ANNOTATOR);
        String bob = fixture.user("bob", Role.ANNOTATOR);
        String rita = fixture.user("rita", Role.REVIEWER);
        ItemInfo fresh = fixture.newItem();
        ItemInfo prefilled = fixture.prefilledItem();
        ItemInfo heldByBob = fixture.prefilledItem();
        ItemInfo started = fixture.prefilledItem();
        ItemInfo rejected = fixture.prefilledItem();
        ItemInfo rejectedOfBob = fixture.prefilledItem();
        ItemInfo waiting = fixture.prefilledItem();
        editing.open(heldByBob.id(), bob);
        editing.open(started.id(), ann);
        editing.saveDraft(started.id(), ann, started.latestRevisionId(),
                EditorDocument.of(revisions.latest(started.id()).orElseThrow().caption()).toJson());
        editing.release(started.id(), ann);
        submit(rejected, ann);
        submit(rejectedOfBob, bob);
        submit(waiting, ann);
        review.reject(rejected.id(), rita, "the grass mask is too big", List.of());
        review.reject(rejectedOfBob.id(), rita, "no", List.of());

        List<QueueEntry> mine = queue.myQueue(ann, fixture.dataset.id());

        assertThat(mine).extracting(QueueEntry::itemId)
                .containsExactly(rejected.id(), started.id(), prefilled.id(), fresh.id());
        assertThat(mine.getFirst().comments()).singleElement()
                .satisfies(c -> assertThat(c.comment()).isEqualTo("the grass mask is too big"));
        assertThat(mine.getFirst().caption()).isEqualTo("A dog on grass.");
        assertThat(mine).extracting(QueueEntry::reason).containsExactly(QueueEntry.Reason.REJECTED,
                QueueEntry.Reason.IN_PROGRESS, QueueEntry.Reason.TO_DO, QueueEntry.Reason.TO_DO);
        // bob opened an item and has not edited it (yet): it is still to do, not "Started" (issue 14)
        assertThat(queue.myQueue(bob, fixture.dataset.id())).extracting(QueueEntry::itemId)
                .containsExactly(rejectedOfBob.id(), prefilled.id(), heldByBob.id(), fresh.id());
        assertThat(queue.myQueue(bob, fixture.dataset.id())).filteredOn(e -> e.itemId() == heldByBob.id())
                .extracting(QueueEntry::reason).containsExactly(QueueEntry.Reason.TO_DO);
        assertThat(queue.toReview(fixture.dataset.id())).extracting(QueueEntry::itemId).containsExactly(waiting.id());
        assertThat(queue.myQueue(ann)).extracting(QueueEntry::itemId).contains(rejected.id(), fresh.id());

        assertThat(queue.next(rejected.id(), ann)).isPresent();
        assertThat(queue.previous(queue.next(rejected.id(), ann).orElseThrow(), ann)).contains(rejected.id());
        assertThat(queue.previous(queue.myQueue(ann).getFirst().itemId(), ann)).isEmpty();
    }

    private void submit(ItemInfo item, String user) {
        var base = revisions.latest(item.id()).orElseThrow();
        assertThat(editing.submit(item.id(), user, base.id(), EditorDocument.of(base.caption()), 1))
                .isInstanceOf(SubmitResult.Submitted.class);
    }
}

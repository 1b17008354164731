package studio.grounding.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static studio.grounding.WorkflowFixture.box;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.WorkflowFixture;
import studio.grounding.annotation.EditSession;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.ItemEvent;
import studio.grounding.annotation.ItemEventKind;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.IllegalStatusTransitionException;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

@StudioIntegrationTest
class ReviewServiceTest {

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

    WorkflowFixture fixture;
    String ann;
    String rita;
    ItemInfo item;
    Revision prefill;
    Revision submitted;

    @BeforeEach
    void submittedItem() {
        fixture = new WorkflowFixture(datasets, revisions, users, models);
        ann = fixture.user("ann", Role.ANNOTATOR);
        rita = fixture.user("rita", Role.REVIEWER);
        item = fixture.prefilledItem();
        prefill = revisions.latest(item.id()).orElseThrow();
        submitted = ((SubmitResult.Submitted) editing.submit(item.id(), ann, prefill.id(), edited(), 30)).revision();
    }

    static EditorDocument edited() {
        return new EditorDocument("A brown dog on grass.", List.of(
                new EditorDocument.Phrase(0, 11, "A brown dog", List.of(mask(box(0, 0, 3, 3))), false),
                new EditorDocument.Phrase(15, 20, "grass", List.of(mask(box(0, 4, 8, 2))), false)), List.of(), List.of());
    }

    static EditorDocument.Mask mask(MaskRle rle) {
        return new EditorDocument.Mask(rle.height(), rle.width(), rle.counts());
    }

    @Test
    void acceptingRecordsTheReviewerAndEndsTheItem() {
        ItemEvent accepted = review.accept(item.id(), rita, null);

        assertThat(accepted.kind()).isEqualTo(ItemEventKind.ACCEPTED);
        assertThat(accepted.revisionId()).isEqualTo(submitted.id());
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.ACCEPTED);
        assertThat(review.events(item.id())).extracting(ItemEvent::kind, ItemEvent::author)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ItemEventKind.SUBMITTED, ann),
                        org.assertj.core.groups.Tuple.tuple(ItemEventKind.ACCEPTED, rita));
        assertThatThrownBy(() -> review.accept(item.id(), rita, null))
                .isInstanceOf(IllegalStatusTransitionException.class).hasMessageContaining("ACCEPTED to ACCEPTED");
    }

    @Test
    void commentsOnPhrasesOrMasksBeyondTheRevisionAreRefusedAndNothingIsStored() {
        int before = review.events(item.id()).size();
        // the submitted revision has 2 phrases with one mask each: phrase:0..1, mask:0..1
        for (String target : List.of("phrase:2", "phrase:99", "mask:2", "mask:123456789", "phrase:-1", "word:0")) {
            assertThatThrownBy(() -> review.comment(item.id(), rita, target, "look"))
                    .as(target).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("target: ");
            assertThatThrownBy(() -> review.reject(item.id(), rita, "fix it", List.of(new TargetComment(target, "c"))))
                    .as(target).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("targets[0].target: ");
        }
        assertThatThrownBy(() -> review.comment(item.id(), rita, null, "bad\u0000comment"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("comment: contains the control");
        assertThat(review.events(item.id())).hasSize(before);
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);

        review.comment(item.id(), rita, "mask:1", "this one");
        assertThat(review.reject(item.id(), rita, "fix it", List.of(new TargetComment("phrase:1", "c"))).kind())
                .isEqualTo(ItemEventKind.REJECTED);
    }

    @Test
    void rejectingNeedsACommentAndSendsTheCommentsToTheAnnotator() {
        assertThatThrownBy(() -> review.reject(item.id(), rita, " ", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("comment:");
        assertThatThrownBy(() -> review.reject(item.id(), rita, "fix", List.of(new TargetComment("leg", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("targets[0].target:");
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);
        assertThat(review.events(item.id())).hasSize(1);

        review.reject(item.id(), rita, "The dog's tail is missing.",
                List.of(new TargetComment("phrase:0", "mask too small"), new TargetComment("mask:1", "cut the road")));

        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.REJECTED);
        EditSession session = editing.open(item.id(), ann);
        assertThat(session.editable()).isTrue();
        assertThat(session.openComments()).extracting(c -> c.target() + "=" + c.comment()).containsExactly(
                "null=The dog's tail is missing.", "phrase:0=mask too small", "mask:1=cut the road");
        assertThat(session.openComments()).allSatisfy(c -> assertThat(c.author()).isEqualTo(rita));

        // the annotator fixes and submits again: the comments are no longer open
        editing.submit(item.id(), ann, submitted.id(), edited(), 5);
        assertThat(editing.open(item.id(), rita).openComments()).isEmpty();
    }

    @Test
    void fixAndAcceptAppendsTheReviewersRevisionOnTopOfTheSubmittedOne() {
        EditorDocument fixed = new EditorDocument("A brown dog on green grass.", List.of(
                new EditorDocument.Phrase(0, 11, "A brown dog", List.of(mask(box(0, 0, 3, 3))), false),
                new EditorDocument.Phrase(15, 26, "green grass", List.of(mask(box(0, 4, 8, 2))), false)),
                List.of(), List.of());

        SubmitResult result = review.fixAndAccept(item.id(), rita, submitted.id(), fixed, "grass colour", 12);

        Revision revision = ((SubmitResult.Submitted) result).revision();
        assertThat(revision.parentId()).isEqualTo(submitted.id());
        assertThat(revision.author()).isEqualTo(rita);
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.ACCEPTED);
        assertThat(review.events(item.id()).getLast()).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ItemEventKind.FIXED_AND_ACCEPTED);
            assertThat(e.revisionId()).isEqualTo(revision.id());
            assertThat(e.comment()).isEqualTo("grass colour");
        });
    }

    @Test
    void fixAndAcceptIsRefusedWhileAnotherReviewerEditsTheItem() {
        String other = fixture.user("otto", Role.REVIEWER);
        assertThat(editing.open(item.id(), other).editable()).isTrue();

        assertThatThrownBy(() -> review.fixAndAccept(item.id(), rita, submitted.id(), edited(), null, 1))
                .isInstanceOf(studio.grounding.annotation.LockLostException.class).hasMessageContaining(other);
        assertThat(revisions.latest(item.id())).contains(submitted);
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);
    }

    @Test
    void fixAndAcceptOnAStaleBaseIsAConflictAndStoresNoRevision() {
        SubmitResult result = review.fixAndAccept(item.id(), rita, prefill.id(), edited(), null, 1);

        assertThat(result).isInstanceOf(SubmitResult.Conflict.class);
        assertThat(revisions.latest(item.id())).contains(submitted);
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);
    }

    @Test
    void onlyAnotherReviewerMayReview() {
        String lead = fixture.user("lead", Role.CURATOR);
        assertThatThrownBy(() -> review.accept(item.id(), fixture.user("al", Role.ANNOTATOR), null))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(review.mayReview(item.id(), rita)).isTrue();
        assertThat(review.mayReview(item.id(), ann)).isFalse();

        // the curator submits on top of the rejected item and may not review their own submission
        review.reject(item.id(), rita, "again", List.of());
        editing.submit(item.id(), lead, submitted.id(), edited(), 1);
        assertThat(review.mayReview(item.id(), lead)).isFalse();
        assertThatThrownBy(() -> review.accept(item.id(), lead, "ok")).isInstanceOf(SelfReviewException.class);
        review.accept(item.id(), rita, "ok");
    }

    @Test
    void theDiffComparesTheSubmissionWithThePrefill() {
        ReviewDiff diff = review.diff(item.id()).orElseThrow();

        assertThat(diff.before()).isEqualTo(prefill);
        assertThat(diff.after()).isEqualTo(submitted);
        assertThat(diff.caption()).filteredOn(s -> s.kind() == TextSegment.Kind.INSERTED)
                .extracting(TextSegment::text).containsExactly("brown ");
        assertThat(diff.phrases()).extracting(PhraseChange::kind)
                .containsExactly(PhraseChange.Kind.RESPANNED, PhraseChange.Kind.UNCHANGED);
        assertThat(diff.phrases().getFirst().masks()).singleElement()
                .satisfies(m -> assertThat(m.iou()).isEqualTo(4.0 / 9.0));
    }

    /**
     * Issue 14: a comment names a phrase by its stable key. After the annotator deletes the first phrase, the comment
     * on "grass" still points at "grass" (key 1, now at position 0), and a key the revision does not have is refused
     * naming the target, with nothing stored.
     */
    @Test
    void targetsAreStableKeysThatMustExistInTheRevision() {
        assertThatThrownBy(() -> review.reject(item.id(), rita, "no", List.of(new TargetComment("phrase:99", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targets[0].target: \"phrase:99\" is not a phrase")
                .hasMessageContaining("(its phrases: 0, 1)");
        assertThatThrownBy(() -> review.reject(item.id(), rita, "no", List.of(new TargetComment("row 3", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targets[0].target: \"row 3\" must be phrase:<id> or mask:<id>");
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);

        review.reject(item.id(), rita, "fix the grass", List.of(new TargetComment("phrase:1", "too big")));
        Revision rejected = revisions.latest(item.id()).orElseThrow();
        EditorDocument doc = EditorDocument.of(rejected);
        // the annotator deletes "A brown dog" (key 0): "grass" keeps key 1
        EditorDocument withoutDog = new EditorDocument(doc.caption(), List.of(doc.phrases().get(1)), List.of(),
                List.of(), new studio.grounding.annotation.ElementKeys(List.of(doc.keys().phrases().get(1)),
                List.of(doc.keys().masks().get(1))));
        editing.open(item.id(), ann);
        Revision resubmitted = ((SubmitResult.Submitted) editing.submit(item.id(), ann, rejected.id(), withoutDog, 5))
                .revision();
        assertThat(resubmitted.keys().phrases()).containsExactly(1);
        assertThat(resubmitted.caption().phrases().getFirst().text()).isEqualTo("grass");
        // phrase:0 (the dog) is gone: a new comment on it is refused; phrase:1 is still there
        assertThatThrownBy(() -> review.comment(item.id(), rita, "phrase:0", "where is the dog?"))
                .hasMessageContaining("target: \"phrase:0\" is not a phrase of revision #" + resubmitted.id());
        assertThat(review.comment(item.id(), rita, "phrase:1", "better").target()).isEqualTo("phrase:1");
    }
}

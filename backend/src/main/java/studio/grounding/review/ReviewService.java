package studio.grounding.review;

import java.util.List;
import java.util.Optional;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.ItemEvent;
import studio.grounding.annotation.ItemEventKind;
import studio.grounding.annotation.ItemEvents;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.IllegalStatusTransitionException;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * The review of submitted items: accept, reject with comments (on the item, a phrase or a mask), or fix and accept
 * (the reviewer's revision on top of the submitted one). Every action is an event with its author. Reviewers are
 * REVIEWER or above, and nobody reviews their own submission (ADR 0006).
 */
@Service
public class ReviewService {


    private final DatasetService datasets;
    private final RevisionService revisions;
    private final ItemEvents events;
    private final EditingService editing;
    private final UserService users;

    ReviewService(DatasetService datasets, RevisionService revisions, ItemEvents events, EditingService editing,
                  UserService users) {
        this.datasets = datasets;
        this.revisions = revisions;
        this.events = events;
        this.editing = editing;
        this.users = users;
    }

    /**
     * Accepts the submitted revision.
     *
     * @param comment optional
     * @throws IllegalStatusTransitionException when the item is not SUBMITTED
     * @throws SelfReviewException              when the reviewer submitted it
     * @throws AccessDeniedException            when the user is not a reviewer
     */
    @Transactional
    public ItemEvent accept(long itemId, String reviewer, String comment) {
        ItemInfo item = decide(itemId, reviewer, ItemStatus.ACCEPTED);
        return events.record(itemId, ItemEventKind.ACCEPTED, reviewer, item.latestRevisionId(), comment, null);
    }

    /**
     * Sends the item back to its annotator (status REJECTED; back to IN_PROGRESS when they edit it).
     *
     * @param comment        required: what is wrong
     * @param targetComments comments on single phrases or masks, may be empty
     * @throws IllegalArgumentException naming the field, for a missing comment or a bad target; nothing is stored
     */
    @Transactional
    public ItemEvent reject(long itemId, String reviewer, String comment, List<TargetComment> targetComments) {
        if (comment == null || comment.isBlank()) {
            throw new IllegalArgumentException("comment: a rejection needs a comment saying what to fix");
        }
        for (int i = 0; i < targetComments.size(); i++) {
            TargetComment t = targetComments.get(i);
            if (t == null) {
                throw new IllegalArgumentException("targets[" + i + "]: must be an object {\"target\", \"comment\"}, not null");
            }
            if (t.comment() == null || t.comment().isBlank()) {
                throw new IllegalArgumentException("targets[" + i + "].comment: the comment on " + t.target() + " is empty");
            }
        }
        ItemInfo item = decide(itemId, reviewer, ItemStatus.REJECTED);
        Revision submitted = item.latestRevisionId() == null ? null : revisions.get(item.latestRevisionId()).orElse(null);
        for (int i = 0; i < targetComments.size(); i++) {
            ReviewTargets.check("targets[" + i + "].target", targetComments.get(i).target(), submitted);
        }
        ItemEvent rejected = events.record(itemId, ItemEventKind.REJECTED, reviewer, item.latestRevisionId(), comment,
                null);
        for (TargetComment t : targetComments) {
            events.record(itemId, ItemEventKind.COMMENTED, reviewer, item.latestRevisionId(), t.comment(), t.target());
        }
        return rejected;
    }

    /**
     * The reviewer corrects the submitted revision and accepts it: their revision is appended on top of the submitted
     * one (which must be {@code baseRevisionId}), the item becomes ACCEPTED, and the reviewer's draft and lock go.
     * The same rule as for accepting holds: not on one's own submission.
     *
     * @return Submitted with the reviewer's revision, Rejected with the document's problems (nothing stored), or
     * Conflict when the item changed since the reviewer opened it (the reviewer's work kept as their draft)
     */
    @Transactional
    public SubmitResult fixAndAccept(long itemId, String reviewer, Long baseRevisionId, EditorDocument doc,
                                     String comment, double activeSeconds) {
        requireReviewer(reviewer);
        ItemInfo item = datasets.lockItem(itemId);
        if (item.status() != ItemStatus.SUBMITTED) {
            throw new IllegalStatusTransitionException(itemId, item.status(), ItemStatus.ACCEPTED);
        }
        requireNotOwnSubmission(itemId, reviewer);
        SubmitResult result = editing.storeRevision(itemId, reviewer, baseRevisionId, doc, activeSeconds);
        if (result instanceof SubmitResult.Submitted(Revision fixed)) {
            datasets.moveStatus(itemId, ItemStatus.ACCEPTED);
            events.record(itemId, ItemEventKind.FIXED_AND_ACCEPTED, reviewer, fixed.id(), comment, null);
        }
        return result;
    }

    /**
     * A comment on the item, or on one phrase or mask of its latest revision ({@code target} {@code phrase:<i>} or
     * {@code mask:<j>}, null for the whole item). Anyone who may see the item may comment.
     */
    @Transactional
    public ItemEvent comment(long itemId, String author, String target, String comment) {
        if (comment == null || comment.isBlank()) {
            throw new IllegalArgumentException("comment: must not be empty");
        }
        ItemInfo item = datasets.item(itemId).orElseThrow(() -> new IllegalArgumentException("itemId: no item #" + itemId));
        ReviewTargets.check("target", target,
                item.latestRevisionId() == null ? null : revisions.get(item.latestRevisionId()).orElse(null));
        return events.record(itemId, ItemEventKind.COMMENTED, author, item.latestRevisionId(), comment, target);
    }

    /** Everything that happened to the item, oldest first, each with its author. */
    @Transactional(readOnly = true)
    public List<ItemEvent> events(long itemId) {
        return events.of(itemId);
    }

    /**
     * The item's latest (submitted) revision against the model's pre-fill, or against its parent when there is no
     * pre-fill or the latest revision is the pre-fill itself.
     *
     * @return empty for an item without revisions
     */
    @Transactional(readOnly = true)
    public Optional<ReviewDiff> diff(long itemId) {
        Optional<Revision> latest = revisions.latest(itemId);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Revision after = latest.get();
        Revision before = revisions.latest(itemId, Origin.MODEL)
                .filter(p -> p.id() != after.id())
                .or(() -> Optional.ofNullable(after.parentId()).flatMap(revisions::get))
                .orElse(null);
        return Optional.of(RevisionDiffer.diff(before, after));
    }

    /** Whether the user may review this item now: a reviewer, the item SUBMITTED, and not their own submission. */
    @Transactional(readOnly = true)
    public boolean mayReview(long itemId, String user) {
        boolean reviewer = users.find(user).map(u -> u.has(Role.REVIEWER)).orElse(false);
        boolean submitted = datasets.item(itemId).map(i -> i.status() == ItemStatus.SUBMITTED).orElse(false);
        return reviewer && submitted && !submittedBy(itemId, user);
    }

    private ItemInfo decide(long itemId, String reviewer, ItemStatus next) {
        requireReviewer(reviewer);
        ItemInfo item = datasets.lockItem(itemId);
        if (item.status() != ItemStatus.SUBMITTED) {
            throw new IllegalStatusTransitionException(itemId, item.status(), next);
        }
        requireNotOwnSubmission(itemId, reviewer);
        datasets.moveStatus(itemId, next);
        return item;
    }

    private void requireReviewer(String user) {
        if (!users.find(user).map(u -> u.has(Role.REVIEWER)).orElse(false)) {
            throw new AccessDeniedException(user + " is not a reviewer");
        }
    }

    private void requireNotOwnSubmission(long itemId, String reviewer) {
        if (submittedBy(itemId, reviewer)) {
            throw new SelfReviewException(itemId, reviewer);
        }
    }

    private boolean submittedBy(long itemId, String user) {
        return events.lastSubmit(itemId).map(e -> e.author().equals(user)).orElse(false);
    }
}

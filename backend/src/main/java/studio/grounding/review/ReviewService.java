package studio.grounding.review;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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

    private static final Pattern TARGET = Pattern.compile("(phrase|mask):(\\d{1,9})");

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
        for (TargetComment t : targetComments) {
            if (t.comment() == null || t.comment().isBlank()) {
                throw new IllegalArgumentException("comment: the comment on " + t.target() + " is empty");
            }
        }
        Optional<Revision> latest = revisions.latest(itemId);
        for (TargetComment t : targetComments) {
            requireTarget(latest.orElse(null), t.target());
        }
        ItemInfo item = decide(itemId, reviewer, ItemStatus.REJECTED);
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
        if (target != null) {
            requireTarget(revisions.latest(itemId).orElse(null), target);
        }
        return events.record(itemId, ItemEventKind.COMMENTED, author, item.latestRevisionId(), comment, target);
    }

    /**
     * A target names a phrase or mask of the revision by its stable key ({@code phrase:<key>}, {@code mask:<key>},
     * see {@link studio.grounding.annotation.ElementKeys}): the comment stays with that phrase or mask whatever the
     * annotator adds or deletes around it.
     *
     * @throws IllegalArgumentException naming the target, when the revision has no such phrase or mask
     */
    static void requireTarget(Revision revision, String target) {
        Matcher m = TARGET.matcher(target == null ? "" : target);
        if (!m.matches()) {
            throw new IllegalArgumentException("target: \"" + target + "\" is not phrase:<id> or mask:<id>");
        }
        boolean phrase = m.group(1).equals("phrase");
        List<Integer> keys = revision == null ? List.of()
                : phrase ? revision.keys().phrases() : revision.keys().masks();
        int key;
        try {
            key = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            key = -1;
        }
        if (!keys.contains(key)) {
            throw new IllegalArgumentException("target: " + target + " is not a " + m.group(1) + " of "
                    + (revision == null ? "the item (it has no revision)" : "revision " + revision.id()
                    + (keys.isEmpty() ? " (it has none)" : " (its " + m.group(1) + "s: "
                    + keys.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")));
        }
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

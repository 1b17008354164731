package studio.grounding.annotation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.IllegalStatusTransitionException;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * Editing one item: the lock (a lease renewed by the editor's heartbeat), the user's draft, and the submit that
 * turns the draft into a HUMAN revision — or, when someone else's revision came first, keeps the user's work as a
 * draft and returns both, never overwriting anything. See docs/adr/0006-editing-and-review.md.
 */
@Service
public class EditingService {

    private static final int DEFAULT_MAX_PHRASES = 500;
    private static final int DEFAULT_MAX_MASKS = 2000;

    private final DatasetService datasets;
    private final RevisionService revisions;
    private final ItemEvents events;
    private final ItemLocks locks;
    private final Drafts drafts;
    private final UserService users;
    private final DocumentLimits limits;

    EditingService(DatasetService datasets, RevisionService revisions, ItemEvents events, ItemLocks locks,
                   Drafts drafts, UserService users,
                   @Value("${studio.editing.max-phrases:" + DEFAULT_MAX_PHRASES + "}") int maxPhrases,
                   @Value("${studio.editing.max-masks:" + DEFAULT_MAX_MASKS + "}") int maxMasks) {
        this.limits = new DocumentLimits(maxPhrases, maxMasks);
        this.datasets = datasets;
        this.revisions = revisions;
        this.events = events;
        this.locks = locks;
        this.drafts = drafts;
        this.users = users;
    }

    /**
     * Opens an item for {@code user}: takes its lock when it is free, expired or already the user's (and the user
     * may edit the item in its status), and returns what the editor shows.
     *
     * @throws IllegalArgumentException for an unknown item
     */
    @Transactional
    public EditSession open(long itemId, String user) {
        ItemInfo item = item(itemId);
        boolean editable = false;
        Optional<ItemLocks.Lock> lock;
        if (mayEdit(item.status(), user)) {
            lock = locks.acquire(itemId, user);
            editable = lock.isPresent();
            if (!editable) {
                lock = locks.live(itemId);
            }
        } else {
            lock = locks.live(itemId);
        }
        Revision base = revisions.latest(itemId).orElse(null);
        return new EditSession(itemId, editable, lock.map(ItemLocks.Lock::holder).orElse(null),
                lock.map(ItemLocks.Lock::since).orElse(null), base, drafts.find(itemId, user),
                revisions.latest(itemId, Origin.MODEL), item.status(), events.openComments(itemId));
    }

    /**
     * Renews the user's lock (or takes it again if it expired and nobody else took it).
     *
     * @throws LockLostException when another user holds the lock now
     */
    @Transactional
    public void heartbeat(long itemId, String user) {
        requireEditable(item(itemId), user);
        locks.acquireOrThrow(itemId, user);
    }

    /** Gives the user's lock back (nothing happens when the user does not hold it). */
    @Transactional
    public void release(long itemId, String user) {
        locks.release(itemId, user);
    }

    /**
     * Saves the user's draft (one per item and user; each save one version more). Needs the lock (taken or renewed
     * here); checks the document's shape and content (not its completeness). A NEW, PREFILLED or REJECTED item
     * becomes IN_PROGRESS.
     *
     * @param baseRevisionId the revision the user started from, null for an item without revisions
     * @throws InvalidDocumentException naming the field, for a bad document; nothing is stored then
     * @throws LockLostException        when another user holds the lock
     * @throws ItemReadOnlyException    when the user may not edit the item in its status
     */
    @Transactional
    public DraftSaved saveDraft(long itemId, String user, Long baseRevisionId, String documentJson) {
        // the item's row is locked first, so the status read here is the one the move below starts from (a pre-fill
        // result completing meanwhile waits, then sees IN_PROGRESS and leaves the item alone)
        ItemInfo item = datasets.lockItem(itemId);
        requireEditable(item, user);
        EditorDocument document = readDocument(documentJson);
        requireRevisionOf(itemId, baseRevisionId);
        locks.acquireOrThrow(itemId, user);
        Draft saved = drafts.upsert(itemId, user, baseRevisionId, null, document.toJson());
        if (item.status() == ItemStatus.NEW || item.status() == ItemStatus.PREFILLED
                || item.status() == ItemStatus.REJECTED) {
            datasets.moveStatus(itemId, ItemStatus.IN_PROGRESS);
        }
        return new DraftSaved(saved.version(), saved.savedAt());
    }

    /**
     * Reads an editor document within this server's limits ({@code studio.editing.max-phrases}, {@code
     * studio.editing.max-masks}), as {@link EditorDocument#fromJson(String, DocumentLimits)}.
     *
     * @throws InvalidDocumentException naming the field, for a bad document or one over the limits
     */
    public EditorDocument readDocument(String documentJson) {
        return EditorDocument.fromJson(documentJson, limits);
    }

    /** How many phrases and masks one document may have on this server. */
    public DocumentLimits limits() {
        return limits;
    }

    /** Removes the user's draft of the item (the item's status stays as it is). */
    @Transactional
    public void discardDraft(long itemId, String user) {
        drafts.delete(itemId, user);
    }

    /** The user's draft of an item. */
    @Transactional(readOnly = true)
    public Optional<Draft> draft(long itemId, String user) {
        return drafts.find(itemId, user);
    }

    /**
     * Submits the user's document as a HUMAN revision on top of {@code baseRevisionId}.
     * <ul>
     * <li>{@link SubmitResult.Rejected}: the document has problems (mask size not the image's, span out of range or
     * not matching its text, malformed RLE, problems neither resolved nor accepted); nothing stored.</li>
     * <li>{@link SubmitResult.Conflict}: the item's latest revision is not the base; the document is kept as the
     * user's draft, marked with the newer revision; nothing overwritten.</li>
     * <li>{@link SubmitResult.Submitted}: revision appended (parent = base, timings {@code activeSeconds}), item
     * SUBMITTED, draft removed, lock released, SUBMITTED event recorded.</li>
     * </ul>
     * Submits of one item are serialised on the item's row: of two submits of the same base, one wins and the other
     * gets the conflict (checked before the status, so the loser's work is kept although the item is SUBMITTED now).
     *
     * @throws LockLostException                when another user holds the item's lock; the document is kept as the
     *                                          user's draft then (unless the user may not edit the item at all)
     * @throws ItemReadOnlyException            when the user may not edit the item in its status
     * @throws IllegalStatusTransitionException when the item cannot be submitted in its status
     */
    @Transactional(noRollbackFor = LockLostException.class)
    public SubmitResult submit(long itemId, String user, Long baseRevisionId, EditorDocument doc, double activeSeconds) {
        Objects.requireNonNull(doc, "doc");
        ItemInfo item = datasets.lockItem(itemId);
        Optional<ItemLocks.Lock> foreign = locks.live(itemId).filter(l -> !l.holder().equals(user));
        if (foreign.isPresent()) {
            boolean keep = mayEdit(item.status(), user);
            if (keep) {
                requireRevisionOf(itemId, baseRevisionId);
                drafts.upsert(itemId, user, baseRevisionId, null, doc.toJson());
            }
            throw new LockLostException(itemId, foreign.get().holder(), foreign.get().since(), keep);
        }
        if (!Objects.equals(item.latestRevisionId(), baseRevisionId)) {
            return storeRevision(itemId, user, baseRevisionId, doc, activeSeconds);
        }
        requireEditable(item, user);
        if (!item.status().canMoveTo(ItemStatus.IN_PROGRESS) && item.status() != ItemStatus.IN_PROGRESS) {
            throw new IllegalStatusTransitionException(itemId, item.status(), ItemStatus.SUBMITTED);
        }
        SubmitResult result = storeRevision(itemId, user, baseRevisionId, doc, activeSeconds);
        if (result instanceof SubmitResult.Submitted(Revision revision)) {
            datasets.moveStatus(itemId, ItemStatus.IN_PROGRESS);
            datasets.moveStatus(itemId, ItemStatus.SUBMITTED);
            events.record(itemId, ItemEventKind.SUBMITTED, user, revision.id(), null, null);
        }
        return result;
    }

    /**
     * The part of a submit that stores the document, for the review flow's "fix and accept" too: checks the document
     * against the item's image, keeps it as the user's draft on a stale base (Conflict), or appends it as the user's
     * HUMAN revision on the base and removes the user's draft and lock; refuses with {@link LockLostException} when
     * another user holds the item's lock. Leaves the status and the event log to the
     * caller, which must hold the item's row lock ({@link DatasetService#lockItem}) and have checked the status.
     */
    @Transactional
    public SubmitResult storeRevision(long itemId, String user, Long baseRevisionId, EditorDocument doc,
                                      double activeSeconds) {
        ItemInfo item = datasets.lockItem(itemId);
        locks.live(itemId).filter(l -> !l.holder().equals(user)).ifPresent(l -> {
            throw new LockLostException(itemId, l.holder(), l.since());
        });
        List<String> problems = new ArrayList<>();
        int masks = doc.unlinkedMasks().size() + doc.phrases().stream().mapToInt(p -> p.masks().size()).sum();
        if (doc.phrases().size() > limits.maxPhrases()) {
            problems.add("phrases: more than " + limits.maxPhrases()
                    + " phrases in one document (setting studio.editing.max-phrases)");
        }
        if (masks > limits.maxMasks()) {
            problems.add("masks: more than " + limits.maxMasks()
                    + " masks in one document, the phrases' and the unlinked ones together (setting studio.editing.max-masks)");
        }
        if (!problems.isEmpty()) {
            return new SubmitResult.Rejected(problems);
        }
        problems.addAll(EditorDocumentChecks.check(doc, new int[] {item.image().height(), item.image().width()}));
        for (String p : doc.unresolvedProblems()) {
            problems.add(describe(p, doc));
        }
        if (!Double.isFinite(activeSeconds) || activeSeconds < 0) {
            problems.add("activeSeconds: must be a non-negative number, not " + activeSeconds);
        }
        if (!problems.isEmpty()) {
            return new SubmitResult.Rejected(problems);
        }
        if (!Objects.equals(item.latestRevisionId(), baseRevisionId)) {
            requireRevisionOf(itemId, baseRevisionId);
            Draft mine = drafts.upsert(itemId, user, baseRevisionId, item.latestRevisionId(), doc.toJson());
            return new SubmitResult.Conflict(revisions.get(item.latestRevisionId()).orElseThrow(), mine);
        }
        Revision revision = revisions.append(new NewRevision(itemId, baseRevisionId, doc.toCaption(), Origin.HUMAN, user,
                null, "editor", List.of(), Map.of("activeSeconds", activeSeconds), item.image().height(),
                item.image().width(), doc.keys()));
        drafts.delete(itemId, user);
        locks.release(itemId, user);
        return new SubmitResult.Submitted(revision);
    }

    /** Whether the user may edit an item in this status: annotators not once it is submitted or accepted. */
    boolean mayEdit(ItemStatus status, String user) {
        if (status != ItemStatus.SUBMITTED && status != ItemStatus.ACCEPTED) {
            return true;
        }
        return users.find(user).map(u -> u.has(Role.REVIEWER)).orElse(false);
    }

    private void requireEditable(ItemInfo item, String user) {
        if (!mayEdit(item.status(), user)) {
            throw new ItemReadOnlyException("status: item #" + item.id() + " is " + item.status()
                    + " and can only be changed by a reviewer");
        }
    }

    private void requireRevisionOf(long itemId, Long revisionId) {
        if (revisionId == null) {
            return;
        }
        if (!revisions.isRevisionOf(revisionId, itemId)) {
            throw new InvalidDocumentException("baseRevisionId", "revision #" + revisionId + " is not a revision of item #"
                    + itemId);
        }
    }

    private ItemInfo item(long itemId) {
        return datasets.item(itemId).orElseThrow(() -> new IllegalArgumentException("itemId: no item #" + itemId));
    }

    private static String describe(String problem, EditorDocument doc) {
        String[] parts = problem.split(":");
        int index = Integer.parseInt(parts[1]);
        return switch (parts[2]) {
            case "no-mask" -> "phrases[" + index + "].masks: phrase \"" + doc.phrases().get(index).text()
                    + "\" has no mask (add one, remove the phrase, or accept " + problem + ")";
            case "text-deleted" -> "phrases[" + index + "].text: the text of phrase \"" + doc.phrases().get(index).text()
                    + "\" was deleted (remove the phrase or give it a span)";
            default -> "unlinkedMasks[" + index + "]: mask belongs to no phrase (link it, delete it, or accept "
                    + problem + ")";
        };
    }
}

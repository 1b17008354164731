package studio.grounding.api;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import studio.grounding.annotation.Draft;
import studio.grounding.annotation.DraftSaved;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.InvalidDocumentException;
import studio.grounding.annotation.ItemEvent;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.review.ReviewService;
import studio.grounding.review.TargetComment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The editor's and the reviewer's actions over HTTP: the user's draft of an item, submit (a conflict is 409 with the
 * newer revision, the user's work kept as their draft), and the review decisions (REVIEWER).
 */
@RestController
@RequestMapping("/api/v1/items/{id}")
class EditingController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DatasetService datasets;
    private final EditingService editing;
    private final ReviewService review;

    EditingController(DatasetService datasets, EditingService editing, ReviewService review) {
        this.datasets = datasets;
        this.editing = editing;
        this.review = review;
    }

    record DraftRequest(Long baseRevisionId, JsonNode document) {
    }

    record DraftJson(Long baseRevisionId, long version, Instant savedAt, Long conflictRevisionId, JsonNode document) {
    }

    record SavedJson(long version, Instant savedAt) {
    }

    record SubmitRequest(Long baseRevisionId, JsonNode document, Double activeSeconds) {
    }

    record SubmittedJson(String result, ApiJson.RevisionJson revision) {
    }

    record ConflictJson(String result, String detail, ApiJson.RevisionJson theirs, DraftJson mine) {
    }

    record DecisionRequest(String comment, List<TargetComment> targets) {
    }

    record EventJson(long id, String kind, String author, Long revisionId, String comment, String target,
                     Instant createdAt) {
        static EventJson of(ItemEvent e) {
            return new EventJson(e.id(), e.kind().name(), e.author(), e.revisionId(), e.comment(), e.target(),
                    e.createdAt());
        }
    }

    /** The caller's draft of the item; 404 when there is none. */
    @GetMapping("/draft")
    DraftJson draft(@PathVariable long id, Principal user) {
        requireItem(id);
        return editing.draft(id, user.getName()).map(EditingController::draftJson)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No draft of item #" + id));
    }

    /** Saves the caller's draft (takes or renews the item's lock); 400 naming the field, 409 when someone holds it. */
    @PutMapping("/draft")
    SavedJson saveDraft(@PathVariable long id, @RequestBody DraftRequest request, Principal user) {
        requireItem(id);
        DraftSaved saved = editing.saveDraft(id, user.getName(), request.baseRevisionId(), documentJson(request.document()));
        return new SavedJson(saved.version(), saved.savedAt());
    }

    @DeleteMapping("/draft")
    ResponseEntity<Void> discardDraft(@PathVariable long id, Principal user) {
        requireItem(id);
        editing.discardDraft(id, user.getName());
        return ResponseEntity.noContent().build();
    }

    /**
     * Submits the document: 200 with the new revision; 409 with the newer revision when the base is stale (the
     * caller's work kept as their draft); 400 listing every problem when anything is wrong (nothing stored).
     */
    @PostMapping("/submit")
    ResponseEntity<?> submit(@PathVariable long id, @RequestBody SubmitRequest request, Principal user) {
        requireItem(id);
        EditorDocument doc = editing.readDocument(documentJson(request.document()));
        double seconds = request.activeSeconds() == null ? 0 : request.activeSeconds();
        return switch (editing.submit(id, user.getName(), request.baseRevisionId(), doc, seconds)) {
            case SubmitResult.Submitted s -> ResponseEntity.ok(new SubmittedJson("submitted", ApiJson.RevisionJson.of(s.revision())));
            case SubmitResult.Conflict c -> ResponseEntity.status(HttpStatus.CONFLICT).body(new ConflictJson("conflict",
                    "Item #" + id + " has a newer revision (#" + c.theirs().id() + ") than the base; your work was kept"
                            + " as your draft", ApiJson.RevisionJson.of(c.theirs()), draftJson(c.mine())));
            case SubmitResult.Rejected r -> {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, String.join("; ", r.problems()));
                problem.setProperty("problems", r.problems());
                yield ResponseEntity.badRequest().body(problem);
            }
        };
    }

    @PostMapping("/review/accept")
    EventJson accept(@PathVariable long id, @RequestBody(required = false) DecisionRequest request, Principal user) {
        requireItem(id);
        return EventJson.of(review.accept(id, user.getName(), request == null ? null : request.comment()));
    }

    /** Rejects the submission; the comment is required, {@code targets} are comments on phrases or masks. */
    @PostMapping("/review/reject")
    EventJson reject(@PathVariable long id, @RequestBody DecisionRequest request, Principal user) {
        requireItem(id);
        return EventJson.of(review.reject(id, user.getName(), request.comment(),
                request.targets() == null ? List.of() : request.targets()));
    }

    private void requireItem(long id) {
        if (datasets.item(id).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No item #" + id);
        }
    }

    private static String documentJson(JsonNode document) {
        if (document == null || document.isNull()) {
            throw new InvalidDocumentException("document", "missing");
        }
        return document.toString();
    }

    private static DraftJson draftJson(Draft d) {
        JsonNode document = JSON.readTree(d.documentJson());
        return new DraftJson(d.baseRevisionId(), d.version(), d.savedAt(), d.conflictRevisionId(), document);
    }
}

package studio.grounding.annotation.ui;

import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.HasStyle;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import java.util.List;
import java.util.Objects;
import studio.grounding.annotation.Draft;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.ReviewComment;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server side of {@code <grounding-editor>} ({@code grounding-editor.ts}): the annotator's editor for one item. The
 * view hands it the image, the document to start from (the latest revision), the user's draft, the model pre-fill and
 * whether the user may edit; the browser chooses between the draft, a newer copy in its local storage and the
 * revision, and calls back through the {@link Handler} to save drafts, submit, keep the lock and move between items.
 * Masks travel as COCO RLE strings both ways.
 */
@Tag("grounding-editor")
@JsModule("./grounding-editor.ts")
public class MaskEditor extends Component implements HasSize, HasStyle {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the browser asks of the server; answers are small JSON objects the element reads. */
    public interface Handler {
        /** Stores the draft; {@code {"ok":true,"version":n}} or {@code {"ok":false,"message":..,"lockLost":bool}}. */
        String saveDraft(String documentJson);

        /** {@code {"ok":true,"result":"submitted"}}, {@code "rejected"} with {@code problems}, {@code "conflict"} with theirs. */
        String submit(String documentJson, double activeSeconds);

        /** Renews the lock; false when another user holds it now. */
        boolean heartbeat();

        void next();

        void previous();

        /** Drops the user's draft for the newer revision: {@code {"document":..,"baseRevisionId":n}}. */
        String takeTheirs();

        /** Keeps the user's work, now on top of the newer revision. */
        void keepMine(long theirsRevisionId);

        /** Stores the user's own key bindings (a JSON object, editor/keymap.ts); nothing by default. */
        default void saveKeymap(String json) {
        }
    }

    private Handler handler;
    private long itemId;
    private String user = "";
    private String imageUrl = "";
    private int imageWidth;
    private int imageHeight;
    private EditorDocument revision;
    private Long baseRevisionId;
    private Draft draft;
    private EditorDocument prefill;
    private boolean readOnly;
    private String lockMessage = "";
    private List<ReviewComment> comments = List.of();
    private String keymap = "";
    private boolean sessionQueued;

    public MaskEditor() {
        setReadOnly(false, null);
    }

    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    /** The item and the user (the browser keeps its local copy of the draft under both). */
    public void setItem(long itemId, String user) {
        this.itemId = itemId;
        this.user = Objects.requireNonNull(user, "user");
        queueSession();
    }

    public void setImage(String url, int width, int height) {
        this.imageUrl = Objects.requireNonNull(url, "url");
        this.imageWidth = width;
        this.imageHeight = height;
        queueSession();
    }

    /** The document to start from and the revision it is ({@code null}, null for an item without revisions). */
    public void setDocument(EditorDocument revision, Long baseRevisionId) {
        this.revision = revision;
        this.baseRevisionId = baseRevisionId;
        queueSession();
    }

    /** The user's draft on the server, restored unless the browser holds newer work; null for none. */
    public void setDraft(Draft draft) {
        this.draft = draft;
        queueSession();
    }

    /** The model pre-fill to compare with (outlines and the summary of changes); null for none. */
    public void setCompare(EditorDocument prefill) {
        this.prefill = prefill;
        queueSession();
    }

    /** The reviewer's open comments, shown at the phrase or mask they name (by its stable key). */
    public void setComments(List<ReviewComment> comments) {
        this.comments = List.copyOf(comments);
        queueSession();
    }

    /** The user's own key bindings (JSON, editor/keymap.ts), "" for the defaults. */
    public void setKeymap(String json) {
        this.keymap = json == null ? "" : json;
        queueSession();
    }

    /** Read-only with the reason shown (e.g. who holds the item), or editable. */
    public void setReadOnly(boolean readOnly, String message) {
        this.readOnly = readOnly;
        this.lockMessage = message == null ? "" : message;
        getElement().setProperty("readOnly", readOnly);
        getElement().setProperty("lockMessage", this.lockMessage);
        queueSession();
    }

    /** The submit button's label: "Submit", or "Fix and accept" when a reviewer edits a submitted item. */
    public void setSubmitLabel(String label) {
        getElement().setProperty("submitLabel", Objects.requireNonNull(label, "label"));
    }

    public String getSubmitLabel() {
        return getElement().getProperty("submitLabel", "Submit");
    }

    public boolean isReadOnly() {
        return getElement().getProperty("readOnly", false);
    }

    public String getLockMessage() {
        return getElement().getProperty("lockMessage", "");
    }

    /** The session the element opens with, as JSON (sent once per round trip, after all setters). */
    public String sessionJson() {
        ObjectNode s = JSON.createObjectNode();
        s.put("itemId", itemId);
        s.put("user", user);
        s.put("imageUrl", imageUrl);
        s.put("imageWidth", imageWidth);
        s.put("imageHeight", imageHeight);
        putDocument(s, "revision", revision);
        if (baseRevisionId == null) {
            s.putNull("baseRevisionId");
        } else {
            s.put("baseRevisionId", baseRevisionId);
        }
        if (draft == null) {
            s.putNull("draft");
        } else {
            ObjectNode d = s.putObject("draft");
            d.set("document", JSON.readTree(draft.documentJson()));
            d.put("savedAt", draft.savedAt() == null ? 0 : draft.savedAt().toEpochMilli());
            if (draft.conflictRevisionId() == null) {
                d.putNull("conflictRevisionId");
            } else {
                d.put("conflictRevisionId", draft.conflictRevisionId());
            }
        }
        putDocument(s, "prefill", prefill);
        // the browser may have turned itself read-only (a lost lock): the next item it opens says again
        s.put("readOnly", readOnly);
        s.put("lockMessage", lockMessage);
        s.put("keymap", keymap);
        ArrayNode notes = s.putArray("comments");
        for (ReviewComment c : comments) {
            ObjectNode n = notes.addObject();
            n.put("author", c.author());
            n.put("target", c.target());
            n.put("comment", c.comment());
        }
        return JSON.writeValueAsString(s);
    }

    private static void putDocument(ObjectNode s, String field, EditorDocument document) {
        if (document == null) {
            s.putNull(field);
        } else {
            s.set(field, JSON.readTree(document.toJson()));
        }
    }

    private void queueSession() {
        if (sessionQueued) {
            return;
        }
        sessionQueued = true;
        getElement().getNode().runWhenAttached(ui -> ui.beforeClientResponse(this, ctx -> {
            sessionQueued = false;
            getElement().setProperty("session", sessionJson());
        }));
    }

    /** The session as last sent to the browser ("" before the first response). */
    public String getSentSession() {
        return getElement().getProperty("session", "");
    }

    @ClientCallable
    String saveDraft(String documentJson) {
        return requireHandler().saveDraft(documentJson);
    }

    @ClientCallable
    String submit(String documentJson, double activeSeconds) {
        return requireHandler().submit(documentJson, activeSeconds);
    }

    @ClientCallable
    boolean heartbeat() {
        return requireHandler().heartbeat();
    }

    @ClientCallable
    void next() {
        requireHandler().next();
    }

    @ClientCallable
    void previous() {
        requireHandler().previous();
    }

    @ClientCallable
    String takeTheirs() {
        return requireHandler().takeTheirs();
    }

    @ClientCallable
    void saveKeymap(String json) {
        requireHandler().saveKeymap(json);
    }

    @ClientCallable
    void keepMine(double theirsRevisionId) {
        requireHandler().keepMine((long) theirsRevisionId);
    }

    private Handler requireHandler() {
        if (handler == null) {
            throw new IllegalStateException("editor without handler");
        }
        return handler;
    }
}

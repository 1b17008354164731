package studio.grounding.annotation.ui;

import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import studio.grounding.annotation.DraftSaved;
import studio.grounding.annotation.EditSession;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.InvalidDocumentException;
import studio.grounding.annotation.ItemReadOnlyException;
import studio.grounding.annotation.LockLostException;
import studio.grounding.annotation.ReviewComment;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.IllegalStatusTransitionException;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.preferences.PreferencesService;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The editor of one item ({@code items/:itemId/edit}): opens it with {@link EditingService#open}, which takes the
 * item's lock when it is free; a second user gets the same page read-only with who holds the item since when. The
 * browser element ({@link MaskEditor}) restores the user's draft, autosaves, keeps the lock alive with a heartbeat
 * and submits; a submit that meets a newer revision keeps both and lets the user take theirs or keep theirs
 * underneath their own. The lock is given back when the page closes.
 */
@Route("items/:" + EditorView.ITEM_ID + "/edit")
@PermitAll
public class EditorView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String ITEM_ID = "itemId";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final EditingService editing;
    private final DatasetService datasets;
    private final RevisionService revisions;
    private final AuthenticationContext authentication;
    private final ItemNavigator navigator;
    private final SubmittedItemFixer fixer;
    private final PreferencesService preferences;

    private final MaskEditor editor = new MaskEditor();
    private final H2 title = new H2();
    private final Span status = new Span();
    private final Span lockInfo = new Span();
    private final UnorderedList comments = new UnorderedList();
    private final Anchor itemLink = new Anchor();

    private ItemInfo item;
    private String user;
    private EditSession session;
    private Long baseRevisionId;
    private boolean holdsLock;
    /** a reviewer edits a SUBMITTED item: the submit is "Fix and accept" */
    private boolean fixMode;

    public EditorView(EditingService editing, DatasetService datasets, RevisionService revisions,
                      AuthenticationContext authentication, ObjectProvider<ItemNavigator> navigators,
                      ObjectProvider<SubmittedItemFixer> fixers, PreferencesService preferences) {
        this.editing = editing;
        this.datasets = datasets;
        this.revisions = revisions;
        this.authentication = authentication;
        this.navigator = navigators.getIfAvailable(() -> new DatasetOrderNavigator(datasets));
        this.fixer = fixers.getIfAvailable();
        this.preferences = preferences;
        addClassName("editor-view");
        setSizeFull();
        setPadding(false);
        setSpacing(false);

        title.addClassName("editor-title");
        title.getStyle().set("margin", "0").set("font-size", "var(--lumo-font-size-l)");
        status.setId("editor-status");
        status.addClassName("editor-status");
        lockInfo.setId("lock-info");
        lockInfo.addClassName("lock-info");
        itemLink.setId("item-link");
        itemLink.setText("View");
        comments.setId("review-comments");
        comments.addClassName("review-comments");
        comments.setVisible(false);

        HorizontalLayout header = new HorizontalLayout(title, status, lockInfo, itemLink);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.setPadding(true);
        header.setWidthFull();

        editor.setId("editor");
        editor.setSizeFull();
        editor.setHandler(new Handler());
        Div box = new Div(editor);
        box.setWidthFull();
        box.getStyle().set("flex", "1 1 0").set("min-height", "0");
        add(header, comments, box);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<ItemInfo> found = event.getRouteParameters().get(ITEM_ID).flatMap(EditorView::parseId)
                .flatMap(datasets::item);
        if (found.isEmpty()) {
            event.rerouteToError(NotFoundException.class, "No such item");
            return;
        }
        item = found.get();
        user = authentication.getPrincipalName().orElseThrow(() -> new IllegalStateException("No user is signed in"));
        show(editing.open(item.id(), user));
    }

    @Override
    public String getPageTitle() {
        return (item == null ? "Editor" : "Edit " + item.image().fileName()) + " · Grounding Studio";
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        releaseLock();
        super.onDetach(detachEvent);
    }

    private void releaseLock() {
        if (holdsLock && item != null) {
            editing.release(item.id(), user);
            holdsLock = false;
        }
    }

    private void show(EditSession s) {
        session = s;
        holdsLock = s.editable();
        baseRevisionId = s.base() == null ? null : s.base().id();
        title.setText(item.image().fileName());
        status.setText(s.status().name().replace('_', ' ').toLowerCase(Locale.ROOT));
        itemLink.setHref("items/" + item.id());
        lockInfo.setText(lockMessage(s));
        lockInfo.setVisible(!s.editable());
        fixMode = s.editable() && s.status() == ItemStatus.SUBMITTED && fixer != null;
        editor.setSubmitLabel(fixMode ? "Fix and accept" : "Submit");
        if (fixMode) {
            status.setText("submitted · you are reviewing: your submit fixes and accepts it");
        }

        editor.setItem(item.id(), user);
        editor.setImage("/media/images/" + item.image().contentHash(), item.image().width(), item.image().height());
        editor.setDocument(s.base() == null ? null : EditorDocument.of(s.base()), baseRevisionId);
        editor.setDraft(s.editable() ? s.draft().orElse(null) : null);
        editor.setCompare(s.prefill().map(EditorDocument::of).orElse(null));
        editor.setReadOnly(!s.editable(), s.editable() ? null : lockMessage(s));
        editor.setComments(s.openComments());
        editor.setKeymap(preferences.get(user, PreferencesService.EDITOR_KEYMAP).orElse(""));

        comments.removeAll();
        for (ReviewComment c : s.openComments()) {
            ListItem line = new ListItem(c.author() + (c.target() == null ? "" : " on " + targetLabel(s.base(),
                    c.target())) + ": " + c.comment());
            if (c.target() != null) {
                line.getElement().setAttribute("data-target", c.target());
            }
            comments.add(line);
        }
        comments.setVisible(!s.openComments().isEmpty());
    }

    /** A comment's target as the annotator reads it: the phrase's text, or the mask's name (by stable key). */
    static String targetLabel(Revision base, String target) {
        if (base != null && target.startsWith("phrase:")) {
            int at = base.keys().phrases().indexOf(parseKey(target.substring(7)));
            if (at >= 0) {
                return "“" + base.caption().phrases().get(at).text() + "”";
            }
        } else if (target.startsWith("mask:") && parseKey(target.substring(5)) >= 0) {
            return "mask " + (parseKey(target.substring(5)) + 1);
        }
        return target;
    }

    private static int parseKey(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Why the editor is read-only, or "" when it is not. */
    String lockMessage(EditSession s) {
        if (s.editable()) {
            return "";
        }
        if (s.lockHolder() != null && !s.lockHolder().equals(user)) {
            return "Read-only: held by " + s.lockHolder()
                    + (s.lockedSince() == null ? "" : " since " + TIME.format(s.lockedSince()));
        }
        return "Read-only: the item is " + s.status().name().toLowerCase(Locale.ROOT)
                + "; only a reviewer can change it now";
    }

    static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void go(Optional<Long> target, String none) {
        if (target.isEmpty()) {
            Notification.show(none);
            return;
        }
        releaseLock();
        UI.getCurrent().navigate("items/" + target.get() + "/edit");
    }

    private static String failure(String message, boolean lockLost) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ok", false);
        o.put("message", message);
        o.put("lockLost", lockLost);
        return JSON.writeValueAsString(o);
    }

    private String lockLostMessage(LockLostException e) {
        return "Read-only: held by " + e.holder() + (e.since() == null ? "" : " since " + TIME.format(e.since()));
    }

    /** The browser's calls, answered with small JSON objects. */
    private final class Handler implements MaskEditor.Handler {

        @Override
        public String saveDraft(String documentJson) {
            try {
                DraftSaved saved = editing.saveDraft(item.id(), user, baseRevisionId, documentJson);
                ObjectNode o = JSON.createObjectNode();
                o.put("ok", true);
                o.put("version", saved.version());
                o.put("savedAt", saved.savedAt() == null ? 0 : saved.savedAt().toEpochMilli());
                return JSON.writeValueAsString(o);
            } catch (LockLostException e) {
                holdsLock = false;
                lockInfo.setText(lockLostMessage(e));
                lockInfo.setVisible(true);
                return failure(lockLostMessage(e), true);
            } catch (InvalidDocumentException e) {
                return failure(String.join("; ", e.problems()), false);
            } catch (ItemReadOnlyException | IllegalStatusTransitionException e) {
                return failure(e.getMessage(), true);
            }
        }

        @Override
        public String submit(String documentJson, double activeSeconds) {
            ObjectNode o = JSON.createObjectNode();
            EditorDocument doc;
            try {
                doc = editing.readDocument(documentJson);
            } catch (InvalidDocumentException e) {
                return rejected(o, e.problems());
            }
            SubmitResult result;
            try {
                result = fixMode ? fixer.fixAndAccept(item.id(), user, baseRevisionId, doc, activeSeconds)
                        : editing.submit(item.id(), user, baseRevisionId, doc, activeSeconds);
            } catch (LockLostException e) {
                holdsLock = false;
                return failure(lockLostMessage(e), true);
            } catch (IllegalStateException e) {
                return failure(e.getMessage(), false);
            }
            switch (result) {
                case SubmitResult.Submitted submitted -> {
                    holdsLock = false;
                    o.put("ok", true);
                    o.put("result", "submitted");
                    o.put("revisionId", submitted.revision().id());
                    if (fixMode) {
                        Notification.show("Fixed and accepted " + item.image().fileName());
                        UI.getCurrent().navigate("items/" + item.id() + "/review");
                    } else {
                        Notification.show("Submitted " + item.image().fileName());
                        Optional<Long> next = navigator.next(item.id(), user);
                        UI.getCurrent().navigate(next.map(id -> "items/" + id + "/edit")
                                .orElse("items/" + item.id()));
                    }
                }
                case SubmitResult.Conflict conflict -> {
                    Revision theirs = conflict.theirs();
                    o.put("ok", false);
                    o.put("result", "conflict");
                    o.set("theirs", JSON.readTree(EditorDocument.of(theirs).toJson()));
                    o.put("theirsRevisionId", theirs.id());
                    o.put("theirsAuthor", theirs.author());
                }
                case SubmitResult.Rejected rejected -> {
                    return rejected(o, rejected.problems());
                }
            }
            return JSON.writeValueAsString(o);
        }

        private String rejected(ObjectNode o, List<String> problems) {
            o.put("ok", false);
            o.put("result", "rejected");
            ArrayNode list = o.putArray("problems");
            problems.forEach(list::add);
            return JSON.writeValueAsString(o);
        }

        @Override
        public boolean heartbeat() {
            try {
                editing.heartbeat(item.id(), user);
                holdsLock = true;
                return true;
            } catch (LockLostException | ItemReadOnlyException e) {
                holdsLock = false;
                return false;
            }
        }

        @Override
        public void next() {
            go(navigator.next(item.id(), user), "This is the last item");
        }

        @Override
        public void previous() {
            go(navigator.previous(item.id(), user), "This is the first item");
        }

        @Override
        public String takeTheirs() {
            editing.discardDraft(item.id(), user);
            Revision latest = revisions.latest(item.id()).orElseThrow();
            baseRevisionId = latest.id();
            ObjectNode o = JSON.createObjectNode();
            o.set("document", JSON.readTree(EditorDocument.of(latest).toJson()));
            o.put("baseRevisionId", latest.id());
            return JSON.writeValueAsString(o);
        }

        @Override
        public void saveKeymap(String json) {
            try {
                preferences.put(user, PreferencesService.EDITOR_KEYMAP, json);
            } catch (IllegalArgumentException e) {
                Notification.show("Your keys were not saved: " + e.getMessage());
            }
        }

        @Override
        public void keepMine(long theirsRevisionId) {
            if (!revisions.isRevisionOf(theirsRevisionId, item.id())) {
                throw new IllegalArgumentException("theirsRevisionId: not a revision of item #" + item.id());
            }
            baseRevisionId = theirsRevisionId;
        }
    }

    MaskEditor editor() {
        return editor;
    }

    Span lockInfo() {
        return lockInfo;
    }

    UnorderedList comments() {
        return comments;
    }

    Long baseRevisionId() {
        return baseRevisionId;
    }

    boolean fixMode() {
        return fixMode;
    }

    EditSession session() {
        return session;
    }
}

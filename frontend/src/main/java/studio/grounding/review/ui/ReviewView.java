package studio.grounding.review.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import studio.grounding.annotation.ElementKeys;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.ItemEvent;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.ui.ItemView;
import studio.grounding.annotation.ui.MaskCanvas;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.review.MaskChange;
import studio.grounding.review.PhraseChange;
import studio.grounding.review.ReviewDiff;
import studio.grounding.review.ReviewService;
import studio.grounding.review.TargetComment;
import studio.grounding.review.TextSegment;

/**
 * A reviewer's page for one submitted item: the submission against the model's pre-fill (caption words inserted and
 * deleted, phrases added / removed / re-spanned, masks changed with their IoU), the photo with the submitted masks,
 * a comment field per phrase and per mask, Accept, Reject (a comment is required), Fix and accept (in the editor),
 * and the item's event history with authors.
 */
@Route("items/:" + ReviewView.ID + "/review")
@RolesAllowed("REVIEWER")
public class ReviewView extends HorizontalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String ID = "itemId";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final DatasetService datasets;
    private final ReviewService review;
    private final transient AuthenticationContext authentication;

    private final MaskCanvas canvas = new MaskCanvas();
    private final H2 title = new H2();
    private final Span statusInfo = new Span();
    private final Div caption = new Div();
    private final VerticalLayout phrases = new VerticalLayout();
    private final Span unlinkedInfo = new Span();
    private final TextArea comment = new TextArea("Comment");
    private final Button accept = new Button("Accept");
    private final Button reject = new Button("Reject");
    private final Anchor fix = new Anchor("", "Fix and accept…");
    private final Span reviewNote = new Span();
    private final UnorderedList history = new UnorderedList();
    /** the stable keys of the shown revision's phrases and masks */
    private ElementKeys keys = ElementKeys.byPosition(0, 0);
    /** comment fields by target ("phrase:1", "mask:3": stable keys), in display order */
    private final Map<String, TextField> targetComments = new LinkedHashMap<>();
    private ItemInfo item;

    public ReviewView(DatasetService datasets, ReviewService review, AuthenticationContext authentication) {
        this.datasets = datasets;
        this.review = review;
        this.authentication = authentication;
        addClassName("review-view");
        setSizeFull();
        setPadding(true);

        canvas.setId("review-canvas");
        canvas.setColors(ItemView.PALETTE);
        canvas.setUnlinkedColor(ItemView.UNLINKED_COLOR);
        canvas.setOpacity(0.5);
        canvas.setHeightFull();
        canvas.addMaskClickListener(e -> canvas.setHighlighted(e.getPhraseIndex()));
        Div canvasBox = new Div(canvas);
        canvasBox.setHeightFull();
        canvasBox.getStyle().set("flex", "1 1 0").set("min-width", "0");

        caption.setId("caption-diff");
        caption.addClassName("caption-diff");
        phrases.setId("phrase-changes");
        phrases.setPadding(false);
        phrases.setSpacing(false);
        comment.setId("review-comment");
        comment.setWidthFull();
        comment.setPlaceholder("Required to reject: what should the annotator fix?");
        accept.setId("accept");
        accept.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
        accept.addClickListener(e -> accept());
        reject.setId("reject");
        reject.addThemeVariants(ButtonVariant.LUMO_ERROR);
        reject.addClickListener(e -> reject());
        fix.setId("fix-and-accept");
        fix.getElement().setAttribute("router-link", true);
        reviewNote.setId("review-note");
        reviewNote.addClassName("review-note");
        history.setId("history");
        history.addClassName("event-history");

        VerticalLayout side = new VerticalLayout(new Anchor("queue", "← Queue"), title, statusInfo, new H4("Caption"),
                caption, new H4("Phrases"), phrases, unlinkedInfo, comment, new HorizontalLayout(accept, reject, fix),
                reviewNote, new H4("History"), history);
        side.setWidth("480px");
        side.setHeightFull();
        side.getStyle().set("overflow", "auto").set("flex-shrink", "0");
        add(canvasBox, side);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<ItemInfo> found = event.getRouteParameters().get(ID).flatMap(ReviewView::parseId)
                .flatMap(datasets::item);
        Optional<ReviewDiff> diff = found.flatMap(i -> review.diff(i.id()));
        if (found.isEmpty() || diff.isEmpty()) {
            event.rerouteToError(NotFoundException.class, "No such item, or nothing to review");
            return;
        }
        item = found.get();
        show(diff.get());
    }

    @Override
    public String getPageTitle() {
        return "Review " + (item == null ? "" : item.image().fileName()) + " · Grounding Studio";
    }

    private void show(ReviewDiff diff) {
        item = datasets.item(item.id()).orElseThrow();
        title.setText(item.image().fileName());
        Revision after = diff.after();
        statusInfo.setText(item.status() + " · revision " + after.id() + " by " + after.author()
                + (diff.before() == null ? "" : " · compared with revision " + diff.before().id() + " ("
                + diff.before().origin().name().toLowerCase(Locale.ROOT) + ")"));
        canvas.setSrc("/media/images/" + item.image().contentHash());
        canvas.setImageSize(item.image().width(), item.image().height());
        canvas.setMasks(masks(after.caption()));
        canvas.setColors(ItemView.phraseColors(after));
        keys = after.keys();

        caption.removeAll();
        for (TextSegment s : diff.caption()) {
            Span piece = new Span(s.text());
            piece.addClassName(switch (s.kind()) {
                case SAME -> "diff-same";
                case INSERTED -> "diff-inserted";
                case DELETED -> "diff-deleted";
            });
            caption.add(piece);
        }

        phrases.removeAll();
        targetComments.clear();
        int[] firstMask = firstMaskIndex(after.caption());
        for (PhraseChange change : diff.phrases()) {
            phrases.add(phraseRow(change, firstMask));
        }
        GroundedCaption gc = after.caption();
        int linked = firstMask[gc.phrases().size()];
        for (int u = 0; u < gc.unlinkedMasks().size(); u++) {
            int key = keys.masks().get(linked + u);
            phrases.add(commentRow("mask:" + key, "Mask without phrase #" + key));
        }
        unlinkedInfo.setText("Masks without phrase: " + diff.unlinkedBefore() + " before, " + diff.unlinkedAfter()
                + " now");

        fix.setHref("items/" + item.id() + "/edit");
        boolean mayReview = review.mayReview(item.id(), user());
        accept.setEnabled(mayReview);
        reject.setEnabled(mayReview);
        fix.setEnabled(mayReview);
        fix.setVisible(mayReview);
        reviewNote.setText(mayReview ? "" : switch (item.status()) {
            case SUBMITTED -> "You submitted this item: another reviewer must review it.";
            default -> "This item is " + item.status() + ": there is nothing to decide.";
        });
        showHistory();
    }

    private Div phraseRow(PhraseChange change, int[] firstMask) {
        Div row = new Div();
        row.addClassName("phrase-change");
        row.getElement().setAttribute("data-kind", change.kind().name());
        String label = switch (change.kind()) {
            case UNCHANGED -> "“" + change.after() + "”";
            case RESPANNED -> "“" + change.before() + "” → “" + change.after() + "”";
            case ADDED -> "+ “" + change.after() + "”";
            case REMOVED -> "− “" + change.before() + "”";
        };
        Span text = new Span(label);
        text.addClassName("phrase-change-text");
        Span kind = new Span(change.kind().name().toLowerCase(Locale.ROOT));
        kind.addClassName("phrase-change-kind");
        Span maskSummary = new Span(maskSummary(change.masks()));
        maskSummary.addClassName("phrase-change-masks");
        row.add(kind, text, maskSummary);
        if (change.afterIndex() != null) {
            int phrase = change.afterIndex();
            int phraseKey = keys.phrases().get(phrase);
            text.getStyle().set("border-bottom", "3px solid " + ItemView.colorOfKey(phraseKey));
            row.getElement().setAttribute("data-phrase-key", String.valueOf(phraseKey));
            row.getElement().addEventListener("mouseenter", e -> canvas.setHighlighted(phrase));
            // comments name the phrase and mask by their stable keys: they stay with them across edits (issue 14)
            row.add(commentRow("phrase:" + phraseKey, "Comment on this phrase"));
            for (MaskChange m : change.masks()) {
                if (m.afterIndex() != null) {
                    int maskKey = keys.masks().get(firstMask[phrase] + m.afterIndex());
                    row.add(commentRow("mask:" + maskKey, "Comment on mask #" + maskKey + " of this phrase"));
                }
            }
        }
        return row;
    }

    private TextField commentRow(String target, String placeholder) {
        TextField field = new TextField();
        field.setPlaceholder(placeholder);
        field.setWidthFull();
        field.addClassName("target-comment");
        field.getElement().setAttribute("data-target", target);
        targetComments.put(target, field);
        return field;
    }

    static String maskSummary(List<MaskChange> masks) {
        if (masks.isEmpty()) {
            return "no masks";
        }
        return masks.stream().map(m -> switch (m.kind()) {
            case UNCHANGED -> "unchanged";
            case CHANGED -> String.format(Locale.ROOT, "changed (IoU %.2f)", m.iou());
            case ADDED -> "added";
            case REMOVED -> "removed";
        }).collect(Collectors.joining(", ", "masks: ", ""));
    }

    private void accept() {
        try {
            review.accept(item.id(), user(), comment.getValue());
            Notification.show("Accepted");
            reload();
        } catch (RuntimeException e) {
            Notification.show(e.getMessage());
        }
    }

    private void reject() {
        if (comment.getValue().isBlank()) {
            comment.setInvalid(true);
            comment.setErrorMessage("Say what to fix: a rejection needs a comment");
            return;
        }
        comment.setInvalid(false);
        try {
            review.reject(item.id(), user(), comment.getValue(), filledTargetComments());
            Notification.show("Rejected: back to the annotator");
            reload();
        } catch (RuntimeException e) {
            Notification.show(e.getMessage());
        }
    }

    private List<TargetComment> filledTargetComments() {
        List<TargetComment> filled = new ArrayList<>();
        targetComments.forEach((target, field) -> {
            if (!field.getValue().isBlank()) {
                filled.add(new TargetComment(target, field.getValue()));
            }
        });
        return filled;
    }

    private void reload() {
        review.diff(item.id()).ifPresent(this::show);
    }

    private void showHistory() {
        history.removeAll();
        for (ItemEvent e : review.events(item.id())) {
            String line = TIME.format(e.createdAt()) + " · " + e.author() + " · " + e.kind().name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ') + (e.target() == null ? "" : " · " + e.target())
                    + (e.comment() == null ? "" : ": " + e.comment());
            ListItem row = new ListItem(line);
            row.addClassName("event");
            row.getElement().setAttribute("data-kind", e.kind().name());
            history.add(row);
        }
        if (history.getChildren().findAny().isEmpty()) {
            history.add(new ListItem("No events yet"));
        }
    }

    private static List<MaskCanvas.Mask> masks(GroundedCaption gc) {
        List<MaskCanvas.Mask> masks = new ArrayList<>();
        int id = 0;
        for (int i = 0; i < gc.phrases().size(); i++) {
            for (MaskRle m : gc.phrases().get(i).masks()) {
                masks.add(new MaskCanvas.Mask(id++, i, m.counts(), m.height(), m.width()));
            }
        }
        for (MaskRle m : gc.unlinkedMasks()) {
            masks.add(new MaskCanvas.Mask(id++, -1, m.counts(), m.height(), m.width()));
        }
        return masks;
    }

    /** For phrase i, the index of its first mask among all masks of the revision; entry n is the linked mask count. */
    private static int[] firstMaskIndex(GroundedCaption gc) {
        int[] first = new int[gc.phrases().size() + 1];
        for (int i = 0; i < gc.phrases().size(); i++) {
            first[i + 1] = first[i] + gc.phrases().get(i).masks().size();
        }
        return first;
    }

    private String user() {
        return authentication.getPrincipalName().orElseThrow();
    }

    private static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    Div caption() {
        return caption;
    }

    VerticalLayout phrases() {
        return phrases;
    }

    TextArea comment() {
        return comment;
    }

    Button acceptButton() {
        return accept;
    }

    Button rejectButton() {
        return reject;
    }

    Anchor fixLink() {
        return fix;
    }

    UnorderedList history() {
        return history;
    }

    Map<String, TextField> targetComments() {
        return targetComments;
    }

    Span reviewNote() {
        return reviewNote;
    }

    MaskCanvas canvas() {
        return canvas;
    }
}

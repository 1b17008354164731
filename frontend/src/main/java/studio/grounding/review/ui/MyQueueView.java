package studio.grounding.review.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;
import java.util.Locale;
import java.util.stream.Collectors;
import studio.grounding.review.AnnotationQueue;
import studio.grounding.review.QueueEntry;

/**
 * The signed-in user's work: items that came back from review (with the reviewer's comments), items they started,
 * then items to do, across datasets; reviewers also see the submitted items waiting for review.
 */
@Route("queue")
@Menu(order = 2, icon = "vaadin:tasks", title = "My queue")
@PermitAll
public class MyQueueView extends VerticalLayout {

    private final Grid<QueueEntry> queue = new Grid<>(QueueEntry.class, false);
    private final Grid<QueueEntry> toReview = new Grid<>(QueueEntry.class, false);
    private final H3 reviewTitle = new H3("Waiting for review");

    public MyQueueView(AnnotationQueue queues, AuthenticationContext authentication) {
        addClassName("queue-view");
        setSizeFull();
        String user = authentication.getPrincipalName().orElseThrow();

        queue.setId("my-queue");
        queue.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        queue.addComponentColumn(e -> link("items/" + e.itemId() + "/edit", "Edit")).setHeader("")
                .setAutoWidth(true).setFlexGrow(0).setKey("open");
        queue.addColumn(e -> reason(e.reason())).setHeader("Why").setAutoWidth(true).setFlexGrow(0).setKey("reason");
        queue.addColumn(QueueEntry::fileName).setHeader("File").setFlexGrow(1).setKey("file");
        queue.addColumn(QueueEntry::datasetName).setHeader("Dataset").setFlexGrow(1).setKey("dataset");
        queue.addColumn(e -> e.caption() == null ? "" : e.caption()).setHeader("Caption").setFlexGrow(3)
                .setKey("caption");
        queue.addColumn(MyQueueView::comments).setHeader("Reviewer's comments").setFlexGrow(3).setKey("comments");
        queue.setEmptyStateText("Nothing to do: every item is done or held by someone else.");
        queue.setItems(queues.myQueue(user));

        toReview.setId("to-review");
        toReview.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        toReview.addComponentColumn(e -> link("items/" + e.itemId() + "/review", "Review")).setHeader("")
                .setAutoWidth(true).setFlexGrow(0).setKey("open");
        toReview.addColumn(QueueEntry::fileName).setHeader("File").setFlexGrow(1).setKey("file");
        toReview.addColumn(QueueEntry::datasetName).setHeader("Dataset").setFlexGrow(1).setKey("dataset");
        toReview.addColumn(e -> e.caption() == null ? "" : e.caption()).setHeader("Caption").setFlexGrow(3)
                .setKey("caption");
        toReview.setEmptyStateText("No submitted items wait for review.");
        boolean reviewer = authentication.hasRole("REVIEWER");
        reviewTitle.setVisible(reviewer);
        toReview.setVisible(reviewer);
        if (reviewer) {
            toReview.setItems(queues.toReview(null));
        }
        add(new H2("My queue"), queue, reviewTitle, toReview);
    }

    static String reason(QueueEntry.Reason reason) {
        return switch (reason) {
            case REJECTED -> "Rejected";
            case IN_PROGRESS -> "Started";
            case TO_DO -> "To do";
            case TO_REVIEW -> "To review";
        };
    }

    static String comments(QueueEntry entry) {
        return entry.comments().stream()
                .map(c -> (c.target() == null ? "" : c.target() + ": ") + c.comment() + " (" + c.author() + ")")
                .collect(Collectors.joining(" · "));
    }

    private static Anchor link(String href, String text) {
        Anchor a = new Anchor(href, text);
        a.getElement().setAttribute("router-link", true);
        a.addClassName("queue-link-" + text.toLowerCase(Locale.ROOT));
        return a;
    }

    Grid<QueueEntry> queue() {
        return queue;
    }

    Grid<QueueEntry> toReview() {
        return toReview;
    }
}

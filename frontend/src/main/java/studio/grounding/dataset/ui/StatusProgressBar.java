package studio.grounding.dataset.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import java.util.Map;
import studio.grounding.dataset.ItemStatus;

/**
 * A dataset's progress at a glance: one bar whose segments are the shares of items per status, in workflow
 * order, with a compact legend of the non-zero counts below it.
 */
class StatusProgressBar extends Div {

    StatusProgressBar(Map<ItemStatus, Long> countsByStatus) {
        addClassName("status-progress");
        long total = countsByStatus.values().stream().mapToLong(Long::longValue).sum();

        Div bar = new Div();
        bar.addClassName("status-progress-bar");
        Div legend = new Div();
        legend.addClassName("status-progress-legend");
        StringBuilder tooltip = new StringBuilder();
        for (ItemStatus status : ItemStatus.values()) {
            long count = countsByStatus.getOrDefault(status, 0L);
            if (count == 0) {
                continue;
            }
            Div segment = new Div();
            segment.addClassNames("status-progress-segment", StatusStyle.cssClass(status));
            segment.getStyle().set("flex-grow", Long.toString(count));
            segment.setTitle(StatusStyle.label(status) + ": " + count);
            bar.add(segment);

            Span entry = new Span(StatusStyle.label(status) + " " + count);
            entry.addClassNames("status-progress-entry", StatusStyle.cssClass(status));
            entry.getElement().setAttribute("data-status", status.name());
            legend.add(entry);
            tooltip.append(tooltip.isEmpty() ? "" : ", ").append(StatusStyle.label(status)).append(' ').append(count);
        }
        if (total == 0) {
            bar.addClassName("empty");
            legend.add(new Span("No items yet"));
        }
        setTitle(total == 0 ? "No items" : tooltip.toString());
        add(bar, legend);
    }
}

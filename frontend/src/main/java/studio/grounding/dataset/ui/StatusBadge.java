package studio.grounding.dataset.ui;

import com.vaadin.flow.component.html.Span;
import studio.grounding.dataset.ItemStatus;

/** A small coloured pill naming an item status. */
class StatusBadge extends Span {

    StatusBadge(ItemStatus status) {
        super(StatusStyle.label(status));
        addClassNames("status-badge", StatusStyle.cssClass(status));
    }
}

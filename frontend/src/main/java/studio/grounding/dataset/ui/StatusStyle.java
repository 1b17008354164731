package studio.grounding.dataset.ui;

import java.util.Locale;
import studio.grounding.dataset.ItemStatus;

/** How an item status is labelled and coloured in the UI (the colours are in {@code styles.css}). */
final class StatusStyle {

    private StatusStyle() {
    }

    /** "In progress" for IN_PROGRESS. */
    static String label(ItemStatus status) {
        String words = status.name().replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The CSS class carrying the status colour, e.g. {@code status-in-progress}. */
    static String cssClass(ItemStatus status) {
        return "status-" + status.name().replace('_', '-').toLowerCase(Locale.ROOT);
    }
}

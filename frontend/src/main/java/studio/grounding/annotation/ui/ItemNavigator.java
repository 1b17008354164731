package studio.grounding.annotation.ui;

import java.util.Optional;

/**
 * Where the editor's "next" and "previous" (D / A) lead. A feature that knows the user's work queue provides a bean;
 * without one the editor walks the item's dataset in id order ({@link DatasetOrderNavigator}).
 */
public interface ItemNavigator {

    Optional<Long> next(long itemId, String user);

    Optional<Long> previous(long itemId, String user);
}

package studio.grounding.review.ui;

import java.util.Optional;
import org.springframework.stereotype.Component;
import studio.grounding.annotation.ui.ItemNavigator;
import studio.grounding.review.AnnotationQueue;

/**
 * The editor's next / previous item (D / A, and where a submit leads): the user's work queue
 * ({@link AnnotationQueue}): rejected items first, then the user's items in progress, then new and pre-filled ones.
 */
@Component
class QueueNavigator implements ItemNavigator {

    private final AnnotationQueue queue;

    QueueNavigator(AnnotationQueue queue) {
        this.queue = queue;
    }

    @Override
    public Optional<Long> next(long itemId, String user) {
        return queue.next(itemId, user);
    }

    @Override
    public Optional<Long> previous(long itemId, String user) {
        return queue.previous(itemId, user);
    }
}

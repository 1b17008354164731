package studio.grounding.annotation;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import studio.grounding.dataset.DatasetService;

/**
 * Keeps each item's latest revision and update time current, in the transaction that appends the revision (here, so that the
 * dataset feature does not depend on this one).
 */
@Component
class LatestRevisionTracker {

    private final DatasetService datasets;

    LatestRevisionTracker(DatasetService datasets) {
        this.datasets = datasets;
    }

    @EventListener
    void on(RevisionAppended event) {
        datasets.recordLatestRevision(event.itemId(), event.revisionId());
    }
}

package studio.grounding.dataset;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import studio.grounding.annotation.RevisionAppended;

/** Keeps each item's latest revision and update time current, in the transaction that appends the revision. */
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

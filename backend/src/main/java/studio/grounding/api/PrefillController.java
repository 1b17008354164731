package studio.grounding.api;

import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.dataset.Split;
import studio.grounding.prefill.JobInfo;
import studio.grounding.prefill.JobPurpose;
import studio.grounding.prefill.PrefillService;
import studio.grounding.prefill.PrefillStats;
import studio.grounding.prefill.QueuedPrefill;
import studio.grounding.snapshot.SnapshotEntry;
import studio.grounding.snapshot.SnapshotService;

/** Pre-fill management for curators: queue a dataset (or some items), watch the queue, retry and cancel jobs. */
@RestController
class PrefillController {

    private final PrefillService prefill;
    private final DatasetService datasets;
    private final ModelVersionService models;
    private final SnapshotService snapshots;

    PrefillController(PrefillService prefill, DatasetService datasets, ModelVersionService models,
                      SnapshotService snapshots) {
        this.snapshots = snapshots;
        this.prefill = prefill;
        this.datasets = datasets;
        this.models = models;
    }

    /**
     * The model version by name ({@code modelVersion}) or id ({@code modelVersionId}); {@code itemIds} to queue only
     * those items (default: the whole dataset); higher {@code priority} is claimed first (default 0).
     * {@code purpose} EVALUATION (default PREFILL) queues evaluation jobs over the dataset's test items, human work
     * included, whose results are stored as evaluation predictions, not revisions; {@code snapshot} (EVALUATION only)
     * restricts them to that snapshot's test split.
     */
    record QueueRequest(String modelVersion, Long modelVersionId, List<Long> itemIds, Integer priority,
                        String purpose, Integer snapshot) {
    }

    @PostMapping("/api/v1/datasets/{name}/prefill")
    @ResponseStatus(HttpStatus.ACCEPTED)
    QueuedPrefill queue(Principal caller, @PathVariable String name, @RequestBody QueueRequest request) {
        DatasetSummary dataset = datasets.require(name);
        ModelVersion model;
        if (request.modelVersionId() != null) {
            model = models.get(request.modelVersionId())
                    .orElseThrow(() -> new IllegalArgumentException("No model version #" + request.modelVersionId()));
        } else if (request.modelVersion() != null && !request.modelVersion().isBlank()) {
            model = models.find(request.modelVersion().strip())
                    .orElseThrow(() -> new IllegalArgumentException("No model version named \"" + request.modelVersion() + "\""));
        } else {
            throw new IllegalArgumentException("Give the model version: modelVersion (name) or modelVersionId");
        }
        JobPurpose purpose = purposeOf(request.purpose());
        List<Long> itemIds = request.itemIds();
        if (request.snapshot() != null) {
            if (purpose != JobPurpose.EVALUATION) {
                throw new IllegalArgumentException("snapshot: only evaluation jobs (\"purpose\":\"EVALUATION\") "
                        + "are restricted to a snapshot's test split");
            }
            if (itemIds != null) {
                throw new IllegalArgumentException("snapshot: give either itemIds or snapshot, not both");
            }
            if (request.snapshot() < 1) {
                throw new IllegalArgumentException("snapshot: a snapshot number is at least 1, not " + request.snapshot());
            }
            long snapshotId = snapshots.get(dataset.name(), request.snapshot()).id();
            itemIds = snapshots.entries(snapshotId, Split.TEST).stream().map(SnapshotEntry::itemId).toList();
            if (itemIds.isEmpty()) {
                throw new IllegalArgumentException("snapshot: snapshot " + request.snapshot() + " has no test items");
            }
        }
        return prefill.queue(dataset.id(), model.id(), itemIds, caller.getName(),
                request.priority() == null ? 0 : request.priority(), purpose);
    }

    private static JobPurpose purposeOf(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            return JobPurpose.PREFILL;
        }
        try {
            return JobPurpose.valueOf(purpose.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("purpose: \"" + purpose + "\" is not PREFILL or EVALUATION");
        }
    }

    @GetMapping("/api/v1/prefill/stats")
    PrefillStats stats() {
        return prefill.stats();
    }

    @GetMapping("/api/v1/prefill/jobs/{id}")
    JobInfo job(@PathVariable long id) {
        return prefill.job(id);
    }

    @PostMapping("/api/v1/prefill/jobs/{id}/retry")
    JobInfo retry(@PathVariable long id) {
        return prefill.retry(id);
    }

    @PostMapping("/api/v1/prefill/jobs/{id}/cancel")
    JobInfo cancel(@PathVariable long id) {
        return prefill.cancel(id);
    }
}

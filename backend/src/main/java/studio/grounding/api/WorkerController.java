package studio.grounding.api;

import java.security.Principal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import studio.grounding.annotation.DocumentLimits;
import studio.grounding.annotation.EditingService;
import studio.grounding.prefill.ClaimedJob;
import studio.grounding.prefill.InvalidPrefillResultException;
import studio.grounding.prefill.JobOutcome;
import studio.grounding.prefill.JobStatus;
import studio.grounding.prefill.PrefillResult;
import studio.grounding.prefill.PrefillService;

/**
 * The worker API: inference workers (accounts with the WORKER role) claim pre-fill jobs under a lease, renew it,
 * and submit a result or a failure, or hand an unfinished job back ({@code release}, on shutdown). Image bytes come from {@code GET /media/images/{contentHash}}. A stale lease
 * token, an expired lease, or a lease another worker account claimed is answered 409 (drop the job; nothing changes), a malformed result 400 (nothing stored, the job keeps running).
 */
@RestController
@RequestMapping("/api/v1/worker/jobs")
class WorkerController {

    private final PrefillService prefill;
    private final DocumentLimits limits;

    WorkerController(PrefillService prefill, EditingService editing) {
        this.prefill = prefill;
        this.limits = editing.limits();
    }

    /** {@code max} jobs at most (default 1), each under a lease of {@code leaseSeconds} (default 60). */
    record ClaimRequest(Integer max, Integer leaseSeconds, String instance) {
    }

    record Claimed(List<Job> jobs) {
    }

    record Job(long jobId, String leaseToken, OffsetDateTime leaseExpiresAt, int attempt, long itemId, Image image,
               ModelRef modelVersion) {

        static Job of(ClaimedJob j) {
            return new Job(j.jobId(), j.leaseToken(), j.leaseExpiresAt(), j.attempt(), j.itemId(),
                    new Image(j.imageHash(), "/media/images/" + j.imageHash(), j.mediaType(), j.imageBytes(),
                            j.imageWidth(), j.imageHeight()),
                    new ModelRef(j.modelVersionId(), j.modelVersionName()));
        }
    }

    record Image(String contentHash, String url, String mediaType, long byteSize, int width, int height) {
    }

    record ModelRef(long id, String name) {
    }

    record LeaseRequest(String leaseToken, Integer leaseSeconds) {
    }

    record Lease(long jobId, OffsetDateTime leaseExpiresAt) {
    }

    /** GLaMM-style result: phrase i goes with mask i; {@code size} is {@code [height, width]}. */
    record ResultRequest(String leaseToken, String caption, List<PhraseJson> phrases, List<MaskJson> masks,
                         List<Double> scores, Map<String, Double> timings) {
    }

    record PhraseJson(String text, Integer start, Integer end) {
    }

    record MaskJson(List<Integer> size, String counts) {
    }

    record FailureRequest(String leaseToken, String error) {
    }

    record Failure(long jobId, JobStatus status) {
    }

    record ReleaseRequest(String leaseToken, String reason) {
    }

    @PostMapping("/claim")
    Claimed claim(Principal caller, @RequestBody(required = false) ClaimRequest request) {
        ClaimRequest r = request == null ? new ClaimRequest(null, null, null) : request;
        String worker = caller.getName() + (r.instance() == null || r.instance().isBlank() ? "" : "/" + r.instance().strip());
        List<ClaimedJob> jobs = prefill.claim(worker, r.max() == null ? 1 : r.max(), lease(r.leaseSeconds()));
        return new Claimed(jobs.stream().map(Job::of).toList());
    }

    @PostMapping("/{id}/lease")
    Lease renew(@PathVariable long id, @RequestBody LeaseRequest request, Principal caller) {
        return new Lease(id, prefill.renew(id, caller.getName(), request.leaseToken(), lease(request.leaseSeconds())));
    }

    @PostMapping("/{id}/result")
    JobOutcome result(@PathVariable long id, @RequestBody ResultRequest request, Principal caller) {
        return prefill.complete(id, caller.getName(), request.leaseToken(), toResult(request, limits));
    }

    @PostMapping("/{id}/failure")
    Failure failure(@PathVariable long id, @RequestBody FailureRequest request, Principal caller) {
        return new Failure(id, prefill.fail(id, caller.getName(), request.leaseToken(), request.error()));
    }

    /** Hands an unfinished job back (worker shutdown): re-queued, the attempt not counted. */
    @PostMapping("/{id}/release")
    Failure release(@PathVariable long id, @RequestBody ReleaseRequest request, Principal caller) {
        return new Failure(id, prefill.release(id, caller.getName(), request.leaseToken(), request.reason()));
    }

    private static Duration lease(Integer seconds) {
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    private static PrefillResult toResult(ResultRequest r, DocumentLimits limits) {
        List<String> problems = new ArrayList<>();
        if (r.masks() != null && r.masks().size() > limits.maxMasks()) {
            throw new InvalidPrefillResultException(List.of("masks: more than " + limits.maxMasks()
                    + " masks in one result (setting studio.editing.max-masks)"));
        }
        if (r.phrases() != null && r.phrases().size() > limits.maxPhrases()) {
            throw new InvalidPrefillResultException(List.of("phrases: more than " + limits.maxPhrases()
                    + " phrases in one result (setting studio.editing.max-phrases)"));
        }
        List<PrefillResult.Mask> masks = new ArrayList<>();
        if (r.masks() != null) {
            for (int i = 0; i < r.masks().size(); i++) {
                MaskJson m = r.masks().get(i);
                if (m == null || m.size() == null || m.size().size() != 2 || m.size().contains(null)) {
                    problems.add("masks[" + i + "].size: must be [height, width]");
                } else if (m.counts() == null) {
                    problems.add("masks[" + i + "].counts: missing");
                } else {
                    masks.add(new PrefillResult.Mask(m.size().get(0), m.size().get(1), m.counts()));
                }
            }
        }
        if (r.phrases() != null && r.phrases().contains(null)) {
            problems.add("phrases: null entry");
        }
        if (!problems.isEmpty()) {
            throw new InvalidPrefillResultException(problems);
        }
        List<PrefillResult.Phrase> phrases = r.phrases() == null ? List.of()
                : r.phrases().stream().map(p -> new PrefillResult.Phrase(p.text(), p.start(), p.end())).toList();
        return new PrefillResult(r.caption(), phrases, masks, r.scores(), r.timings());
    }
}

package studio.grounding.worker.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the worker measures, in a Micrometer {@link PrometheusMeterRegistry} (scraped at {@code /metrics} by
 * {@link StatusServer}), and the state its {@code /health} reports. Names as Prometheus shows them:
 * <ul>
 *   <li>{@code glamm_worker_jobs_total{outcome}}: jobs that ended on this worker — {@code succeeded} (result stored),
 *       {@code failed} (failure reported), {@code handed_back} (released on shutdown, no attempt counted),
 *       {@code dropped} (409: the lease was no longer ours), {@code abandoned} (left to its lease: the platform
 *       refused or could not take the result or failure).</li>
 *   <li>{@code glamm_worker_images_total}, and {@code glamm_worker_images_per_second}: images pre-filled over the last
 *       minute (for a dashboard without PromQL; {@code rate(glamm_worker_images_total[5m])} is the usual way).</li>
 *   <li>{@code glamm_worker_stage_seconds{stage}}: the model's per-stage timings ({@code global_encoder},
 *       {@code generate}, {@code pixel_decoder}, ...), {@code glamm_worker_job_seconds}: claim to result.</li>
 *   <li>{@code glamm_worker_jobs_in_flight}, {@code glamm_worker_slots}.</li>
 *   <li>{@code glamm_worker_lease_renewals_total{result}}: {@code renewed}, {@code lost}, {@code error}.</li>
 *   <li>{@code glamm_worker_claims_total{result}}: {@code jobs} (got work), {@code empty}, {@code error};
 *       {@code glamm_worker_jobs_claimed_total}; {@code glamm_worker_last_successful_claim_seconds} (Unix time).</li>
 * </ul>
 * Thread-safe.
 */
public final class WorkerMetrics {

    private static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter succeeded = outcome("succeeded");
    private final Counter failed = outcome("failed");
    private final Counter handedBack = outcome("handed_back");
    private final Counter dropped = outcome("dropped");
    private final Counter abandoned = outcome("abandoned");
    private final Counter images = Counter.builder("glamm.worker.images").description("images pre-filled")
            .register(registry);
    private final Counter renewed = renewal("renewed");
    private final Counter renewalsLost = renewal("lost");
    private final Counter renewalErrors = renewal("error");
    private final Counter claimsWithJobs = claim("jobs");
    private final Counter claimsEmpty = claim("empty");
    private final Counter claimErrors = claim("error");
    private final Counter jobsClaimed = Counter.builder("glamm.worker.jobs.claimed").description("jobs claimed")
            .register(registry);
    private final Timer jobTime = Timer.builder("glamm.worker.job").description("claim to result, per job")
            .register(registry);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger slots = new AtomicInteger();
    private final Deque<Long> recentImages = new ArrayDeque<>();

    private volatile boolean modelLoaded;
    private volatile boolean claiming;
    private volatile Instant lastSuccessfulClaim;
    private volatile Instant lastClaimAttempt;
    private volatile String lastClaimError;

    public WorkerMetrics() {
        Gauge.builder("glamm.worker.jobs.in.flight", inFlight, AtomicInteger::get).description("jobs running now")
                .register(registry);
        Gauge.builder("glamm.worker.slots", slots, AtomicInteger::get).description("jobs this worker runs at once")
                .register(registry);
        Gauge.builder("glamm.worker.images.per.second", this, WorkerMetrics::imagesPerSecond)
                .description("images pre-filled per second over the last minute").register(registry);
        Gauge.builder("glamm.worker.last.successful.claim", this,
                        m -> m.lastSuccessfulClaim == null ? Double.NaN : m.lastSuccessfulClaim.toEpochMilli() / 1000.0)
                .baseUnit("seconds").description("when a claim last reached the platform (Unix time)").register(registry);
    }

    private Counter outcome(String outcome) {
        return Counter.builder("glamm.worker.jobs").tag("outcome", outcome).description("jobs ended on this worker")
                .register(registry);
    }

    private Counter renewal(String result) {
        return Counter.builder("glamm.worker.lease.renewals").tag("result", result).description("lease renewals")
                .register(registry);
    }

    private Counter claim(String result) {
        return Counter.builder("glamm.worker.claims").tag("result", result).description("claim calls")
                .register(registry);
    }

    /** The models are loaded and the worker has this many slots. */
    public void modelsLoaded(int slotCount) {
        slots.set(slotCount);
        modelLoaded = true;
    }

    void claiming(boolean on) {
        claiming = on;
    }

    void claimSucceeded(int jobs) {
        Instant now = Instant.now();
        lastClaimAttempt = now;
        lastSuccessfulClaim = now;
        lastClaimError = null;
        (jobs > 0 ? claimsWithJobs : claimsEmpty).increment();
        jobsClaimed.increment(jobs);
    }

    void claimFailed(String error) {
        lastClaimAttempt = Instant.now();
        lastClaimError = error;
        claimErrors.increment();
    }

    void jobStarted() {
        inFlight.incrementAndGet();
    }

    void jobEnded() {
        inFlight.decrementAndGet();
    }

    /** A result was stored: one image, its per-stage timings (milliseconds) and the whole job's time. */
    void succeeded(Map<String, Double> stageMillis, long jobNanos) {
        succeeded.increment();
        images.increment();
        jobTime.record(jobNanos, TimeUnit.NANOSECONDS);
        if (stageMillis != null) {
            stageMillis.forEach((stage, ms) -> Timer.builder("glamm.worker.stage").tag("stage", stage)
                    .description("per-stage model time").register(registry)
                    .record(Math.round(ms * 1e6), TimeUnit.NANOSECONDS));
        }
        long now = System.nanoTime();
        synchronized (recentImages) {
            recentImages.addLast(now);
            trim(now);
        }
    }

    void failed() {
        failed.increment();
    }

    void handedBack() {
        handedBack.increment();
    }

    void dropped() {
        dropped.increment();
    }

    void abandoned() {
        abandoned.increment();
    }

    void renewed() {
        renewed.increment();
    }

    void renewalLost() {
        renewalsLost.increment();
    }

    void renewalFailed() {
        renewalErrors.increment();
    }

    /** Images stored per second over the last minute (counted over a full minute, also in the first minute). */
    public double imagesPerSecond() {
        long now = System.nanoTime();
        synchronized (recentImages) {
            trim(now);
            return recentImages.size() / (double) RATE_WINDOW.toSeconds();
        }
    }

    private void trim(long now) {
        while (!recentImages.isEmpty() && now - recentImages.peekFirst() > RATE_WINDOW.toNanos()) {
            recentImages.removeFirst();
        }
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public Health health() {
        boolean reachable = lastClaimAttempt != null && lastClaimError == null;
        return new Health(modelLoaded && claiming && reachable, modelLoaded, claiming, reachable, lastSuccessfulClaim,
                lastClaimError, inFlight.get(), slots.get());
    }

    /**
     * What {@code /health} answers. UP when the models are loaded, the loop is claiming (not shutting down) and the
     * last claim reached the platform and was accepted; DOWN otherwise (also before the first claim).
     */
    public record Health(boolean up, boolean modelLoaded, boolean claiming, boolean platformReachable,
                         Instant lastSuccessfulClaim, String lastClaimError, int inFlight, int slots) {
    }
}

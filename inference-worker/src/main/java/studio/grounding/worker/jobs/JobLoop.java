package studio.grounding.worker.jobs;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.grounding.worker.model.GlammPrediction;
import studio.grounding.worker.model.RgbImage;

/**
 * The worker's job loop. One thread claims, for each free slot (one slot per {@link Predictor}), up to
 * {@code batch} jobs, which run on that slot as one batch: fetch the images, predict them together
 * ({@link Predictor#predictBatch}), submit each result with the model's per-stage timings. While a job runs its lease
 * is renewed every third of the lease. A model error is
 * reported as the job's failure (the platform re-queues it or marks it failed after its last attempt); a 409 on any
 * job call means the lease is no longer ours and the job is dropped without a word. An empty queue makes the loop
 * idle with exponential backoff; platform errors likewise.
 *
 * <p>{@link #stop(Duration)} (the SIGTERM path) stops claiming, lets running jobs finish within the grace period and
 * then hands back every unfinished one by releasing it ({@code POST .../release} with the reason
 * {@value #SHUTDOWN_ERROR}): the platform re-queues it without counting the attempt. Each job ends in exactly one of:
 * result submitted, failure reported, handed back, dropped; a per-job flag decides races between a finishing job and
 * the hand-back. Everything is counted in {@link WorkerMetrics}.
 */
public final class JobLoop {

    public static final String SHUTDOWN_ERROR = "worker shutting down";

    private static final Logger log = LoggerFactory.getLogger(JobLoop.class);

    private final PlatformClient platform;
    private final BlockingQueue<Predictor> predictors;
    private final int concurrency;
    private final int batch;
    private final int leaseSeconds;
    private final String instance;
    private final Duration idleMin;
    private final Duration idleMax;

    private final Semaphore slots;
    private final ExecutorService runners;
    private final ScheduledExecutorService renewer;
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final AtomicBoolean claiming = new AtomicBoolean(true);
    private final Object idle = new Object();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong handedBack = new AtomicLong();
    private final WorkerMetrics metrics;
    private volatile Thread loopThread;

    /** A job on a slot; {@code settled} is set by whoever sends the job's final word (or drops it). */
    private record Running(WorkerJob job, AtomicBoolean settled, ScheduledFuture<?>[] renewal, long startedNanos) {

        Running(WorkerJob job) {
            this(job, new AtomicBoolean(), new ScheduledFuture<?>[1], System.nanoTime());
        }
    }

    public JobLoop(PlatformClient platform, List<Predictor> predictors, int batch, int leaseSeconds, String instance,
                   Duration idleMin, Duration idleMax) {
        this(platform, predictors, batch, leaseSeconds, instance, idleMin, idleMax, new WorkerMetrics());
    }

    public JobLoop(PlatformClient platform, List<Predictor> predictors, int batch, int leaseSeconds, String instance,
                   Duration idleMin, Duration idleMax, WorkerMetrics metrics) {
        if (predictors.isEmpty()) {
            throw new IllegalArgumentException("at least one predictor");
        }
        this.platform = platform;
        this.concurrency = predictors.size();
        this.predictors = new ArrayBlockingQueue<>(concurrency, false, predictors);
        this.batch = batch;
        this.leaseSeconds = leaseSeconds;
        this.instance = instance;
        this.idleMin = idleMin;
        this.idleMax = idleMax;
        this.metrics = metrics;
        this.slots = new Semaphore(concurrency);
        this.runners = Executors.newFixedThreadPool(concurrency, Thread.ofPlatform().name("glamm-job-", 0).factory());
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("lease-renewer").daemon().factory());
    }

    /** Starts the claiming thread; returns at once. */
    public synchronized Thread start() {
        if (loopThread != null) {
            throw new IllegalStateException("already started");
        }
        metrics.claiming(true);
        loopThread = Thread.ofPlatform().name("job-loop").start(this::loop);
        return loopThread;
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    /** Results submitted, failures reported, jobs handed back on shutdown, jobs dropped on 409. */
    public long submittedCount() {
        return submitted.get();
    }

    public long failedCount() {
        return failed.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    public long handedBackCount() {
        return handedBack.get();
    }

    private void loop() {
        Duration backoff = idleMin;
        while (claiming.get()) {
            try {
                if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    continue;   // all slots busy; look at the stop flag again
                }
            } catch (InterruptedException e) {
                break;
            }
            List<WorkerJob> jobs;
            try {
                jobs = platform.claim(batch, leaseSeconds, instance);
            } catch (PlatformException e) {
                slots.release();
                metrics.claimFailed(e.getMessage());
                if (e.isAuthProblem()) {
                    log.error("claim refused: {}", e.getMessage());
                } else {
                    log.warn("claim failed, retrying in {}: {}", backoff, e.getMessage());
                }
                backoff = pause(backoff);
                continue;
            } catch (RuntimeException e) {
                slots.release();
                metrics.claimFailed(e.toString());
                log.warn("claim failed, retrying in {}", backoff, e);
                backoff = pause(backoff);
                continue;
            }
            metrics.claimSucceeded(jobs.size());
            if (jobs.isEmpty()) {
                slots.release();
                backoff = pause(backoff);
                continue;
            }
            backoff = idleMin;
            List<Running> batchJobs = new ArrayList<>();
            for (WorkerJob job : jobs) {
                Running r = new Running(job);
                if (!claiming.get()) {   // claimed while stopping: hand straight back
                    handBack(r);
                    continue;
                }
                running.put(job.jobId(), r);
                metrics.jobStarted();
                batchJobs.add(r);
            }
            if (batchJobs.isEmpty()) {
                slots.release();
                continue;
            }
            try {
                runners.execute(() -> runBatch(batchJobs));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                for (Running r : batchJobs) {
                    running.remove(r.job().jobId());
                    metrics.jobEnded();
                    handBack(r);
                }
                slots.release();
            }
        }
        log.info("job loop stopped claiming");
    }

    /** Sleeps for the backoff (woken early by stop) and returns the next one. */
    private Duration pause(Duration backoff) {
        synchronized (idle) {
            if (claiming.get()) {
                try {
                    idle.wait(Math.max(1, backoff.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    claiming.set(false);
                }
            }
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(idleMax) > 0 ? idleMax : next;
    }

    /**
     * One batch on one slot: fetch every image, predict them together (if the batch fails, one at a time, so that one
     * bad image fails only its own job), submit each result. Every job keeps its own lease renewal and its own end.
     */
    private void runBatch(List<Running> batchJobs) {
        Predictor predictor = null;
        try {
            long period = Math.max(1000L, leaseSeconds * 1000L / 3);
            for (Running r : batchJobs) {
                r.renewal()[0] = renewer.scheduleAtFixedRate(() -> renew(r), period, period, TimeUnit.MILLISECONDS);
            }
            predictor = predictors.take();
            List<Running> ready = new ArrayList<>();
            List<RgbImage> images = new ArrayList<>();
            for (Running r : batchJobs) {
                RgbImage image = guarded(r, () -> fetch(r));
                if (image != null) {
                    ready.add(r);
                    images.add(image);
                }
            }
            if (ready.isEmpty()) {
                return;
            }
            log.info("running {} job(s) as one batch: {}", ready.size(), ready.stream().map(Running::job).toList());
            List<GlammPrediction> predictions = predictAll(predictor, ready, images);
            for (int i = 0; i < ready.size(); i++) {
                Running r = ready.get(i);
                GlammPrediction p = predictions.get(i);
                if (p != null) {
                    guarded(r, () -> submit(r, p));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Running r : batchJobs) {
                cancelRenewal(r);
                running.remove(r.job().jobId(), r);
                metrics.jobEnded();
            }
            if (predictor != null) {
                predictors.add(predictor);
            }
            slots.release();
        }
    }

    private RgbImage fetch(Running r) {
        WorkerJob job = r.job();
        byte[] bytes = platform.fetchImage(job.imageHash());
        try {
            return RgbImage.read(new ByteArrayInputStream(bytes), job.imageHash());
        } catch (Exception e) {
            fail(r, "image " + job.imageHash() + " could not be read: " + e);
            return null;
        }
    }

    /** The batch at once; when it fails, each image alone. A null entry: that job's failure has been reported. */
    private List<GlammPrediction> predictAll(Predictor predictor, List<Running> ready, List<RgbImage> images) {
        if (ready.size() > 1) {
            try {
                List<GlammPrediction> all = predictor.predictBatch(images);
                if (all.size() == images.size()) {
                    return all;
                }
                log.warn("batch of {} answered {} predictions; predicting one at a time", images.size(), all.size());
            } catch (Exception | Error e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("batch of {} failed, predicting one at a time: {}", images.size(), e.toString());
            }
        }
        List<GlammPrediction> out = new ArrayList<>();
        for (int i = 0; i < ready.size(); i++) {
            Running r = ready.get(i);
            try {
                out.add(predictor.predict(images.get(i)));
            } catch (Exception | Error e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                out.add(null);
                if (r.settled().get()) {
                    log.info("{}: stopped after it was handed back or dropped: {}", r.job(), e.toString());
                    continue;
                }
                log.warn("{}: model failed", r.job(), e);
                fail(r, "model failed: " + e);
            }
        }
        return out;
    }

    private Void submit(Running r, GlammPrediction prediction) {
        WorkerJob job = r.job();
        if (!r.settled().compareAndSet(false, true)) {
            log.info("{}: finished after it was handed back or dropped; result discarded", job);
            return null;
        }
        cancelRenewal(r);
        var outcome = platform.submitResult(job.jobId(), job.leaseToken(), prediction, null);
        submitted.incrementAndGet();
        metrics.succeeded(prediction.timingsMillis(), System.nanoTime() - r.startedNanos());
        log.info("{}: result submitted ({} phrases, {} masks): {}", job, prediction.phrases().size(),
                prediction.masks().size(), outcome.has("status") ? outcome.get("status").getAsString() : "?");
        return null;
    }

    /** Runs one job's platform step; a lost lease drops the job, another platform error leaves it to its lease. */
    private <T> T guarded(Running r, java.util.function.Supplier<T> step) {
        WorkerJob job = r.job();
        try {
            return step.get();
        } catch (PlatformException.LeaseLost e) {
            r.settled().set(true);
            dropped.incrementAndGet();
            metrics.dropped();
            log.warn("{}: dropped: {}", job, e.getMessage());
        } catch (PlatformException e) {
            // e.g. the result was rejected (400) or the platform is down: leave the job to its lease, which expires
            // and re-queues it on the platform's side.
            r.settled().set(true);
            metrics.abandoned();
            log.error("{}: platform call failed, leaving the job to its lease: {}", job, e.getMessage());
        } catch (RuntimeException e) {
            log.error("{}: unexpected error", job, e);
            fail(r, "worker error: " + e);
        }
        return null;
    }

    private void renew(Running r) {
        if (r.settled().get()) {
            return;
        }
        try {
            platform.renew(r.job().jobId(), r.job().leaseToken(), leaseSeconds);
            metrics.renewed();
            log.debug("{}: lease renewed", r.job());
        } catch (PlatformException.LeaseLost e) {
            metrics.renewalLost();
            if (r.settled().compareAndSet(false, true)) {
                dropped.incrementAndGet();
                metrics.dropped();
                log.warn("{}: lease lost while running; the result will be discarded", r.job());
            }
            cancelRenewal(r);
        } catch (RuntimeException e) {
            metrics.renewalFailed();
            log.warn("{}: lease renewal failed (will retry): {}", r.job(), e.getMessage());
        }
    }

    private void fail(Running r, String error) {
        if (!r.settled().compareAndSet(false, true)) {
            return;
        }
        cancelRenewal(r);
        try {
            platform.reportFailure(r.job().jobId(), r.job().leaseToken(), error);
            failed.incrementAndGet();
            metrics.failed();
            log.info("{}: failure reported: {}", r.job(), error);
        } catch (PlatformException.LeaseLost e) {
            dropped.incrementAndGet();
            metrics.dropped();
            log.warn("{}: dropped: {}", r.job(), e.getMessage());
        } catch (RuntimeException e) {
            metrics.abandoned();
            log.error("{}: failure could not be reported, leaving the job to its lease: {}", r.job(), e.getMessage());
        }
    }

    /** Releases the job: the platform re-queues it without counting the attempt. */
    private void handBack(Running r) {
        if (!r.settled().compareAndSet(false, true)) {
            return;
        }
        cancelRenewal(r);
        try {
            platform.release(r.job().jobId(), r.job().leaseToken(), SHUTDOWN_ERROR);
            handedBack.incrementAndGet();
            metrics.handedBack();
            log.info("{}: handed back", r.job());
        } catch (PlatformException.LeaseLost e) {
            dropped.incrementAndGet();
            metrics.dropped();
            log.warn("{}: dropped: {}", r.job(), e.getMessage());
        } catch (RuntimeException e) {
            metrics.abandoned();
            log.error("{}: could not be handed back, leaving the job to its lease: {}", r.job(), e.getMessage());
        }
    }

    private static void cancelRenewal(Running r) {
        ScheduledFuture<?> f = r.renewal()[0];
        if (f != null) {
            f.cancel(false);
        }
    }

    /**
     * Stops claiming, waits up to {@code grace} for running jobs, hands back the unfinished ones and stops the
     * threads. Returns whether every job finished by itself. Idempotent.
     */
    public boolean stop(Duration grace) {
        claiming.set(false);
        metrics.claiming(false);
        synchronized (idle) {
            idle.notifyAll();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        Thread t = loopThread;
        if (t != null) {
            try {
                t.join(Math.max(1, grace.toMillis()));   // a claim in flight; its jobs are handed back
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        runners.shutdown();
        boolean clean;
        try {
            clean = runners.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        if (!clean) {
            for (Running r : List.copyOf(running.values())) {
                log.warn("{}: not finished within {}, handing it back", r.job(), grace);
                handBack(r);
            }
            runners.shutdownNow();
        }
        renewer.shutdownNow();
        return clean;
    }
}

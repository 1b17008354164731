package studio.grounding.assist;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import studio.grounding.mask.Rle;

/**
 * The in-memory request/response queue between the editor and the inference workers (ADR 0020). The editor's call
 * ({@link #ask}) checks that a worker for the model is connected (503 otherwise), queues the request, wakes a
 * waiting worker and waits up to {@code studio.assist.timeout} (default 10 s) for the answer (504 after). Workers
 * long-poll {@link #claim} with their model name; a worker counts as connected while it waits in a claim or for
 * {@code studio.assist.worker-seen} (default 10 s) after its last one. A request is handed to one worker only; a
 * request whose caller has given up is dropped, and its late answer is refused.
 */
@Service
public class AssistService {

    /** The longest a worker's claim may wait. */
    public static final Duration MAX_CLAIM_WAIT = Duration.ofSeconds(30);
    static final int MAX_PHRASE_LENGTH = 500;
    static final int MAX_POINTS = 64;

    private final Duration timeout;
    private final Duration workerSeen;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    /** Not yet claimed, oldest first. */
    private final LinkedHashMap<String, Pending> waiting = new LinkedHashMap<>();
    /** Claimed and not answered yet. */
    private final Map<String, Pending> claimed = new HashMap<>();
    /** model -> number of claims waiting now; model -> end of the last claim. */
    private final Map<String, Integer> polling = new HashMap<>();
    private final Map<String, Instant> lastSeen = new HashMap<>();

    private record Pending(ClaimedAssist request, String model, CompletableFuture<AssistAnswer> answer) {}

    @Autowired
    public AssistService(@Value("${studio.assist.timeout:10s}") Duration timeout,
                         @Value("${studio.assist.worker-seen:10s}") Duration workerSeen) {
        this(timeout, workerSeen, Clock.systemUTC());
    }

    AssistService(Duration timeout, Duration workerSeen, Clock clock) {
        this.timeout = timeout;
        this.workerSeen = workerSeen;
        this.clock = clock;
    }

    /**
     * Asks a connected worker and waits for its answer.
     *
     * @param model the model version name the worker must serve, or null for any
     * @throws IllegalArgumentException  for a prompt the kind cannot use (naming the field)
     * @throws NoAssistWorkerException   when no worker for the model is connected
     * @throws AssistTimeoutException    when none answered in time
     * @throws AssistFailedException     when the worker reported a failure
     */
    public AssistAnswer ask(AssistKind kind, String model, long itemId, String imageHash, int width, int height,
                            AssistPrompt prompt) {
        validate(kind, width, height, prompt);
        String m = model == null || model.isBlank() ? null : model.strip();
        ClaimedAssist request = new ClaimedAssist(UUID.randomUUID().toString(), kind, itemId, imageHash, width, height,
                prompt);
        Pending p = new Pending(request, m, new CompletableFuture<>());
        lock.lock();
        try {
            if (!connected(m)) {
                throw new NoAssistWorkerException(m);
            }
            waiting.put(request.requestId(), p);
            queued.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            return p.answer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssistTimeoutException(kind, timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new AssistFailedException(e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssistTimeoutException(kind, timeout);
        } finally {
            lock.lock();
            try {
                waiting.remove(request.requestId());
                claimed.remove(request.requestId());
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * A worker's long poll: the oldest request for its model (or for any model), waiting up to {@code wait}
     * (at most {@link #MAX_CLAIM_WAIT}); empty when none came.
     */
    public Optional<ClaimedAssist> claim(String model, Duration wait) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model: the worker must name the model version it serves");
        }
        String m = model.strip();
        Duration w = wait == null ? Duration.ofSeconds(20) : wait;
        if (w.isNegative() || w.compareTo(MAX_CLAIM_WAIT) > 0) {
            throw new IllegalArgumentException("waitSeconds: must be between 0 and " + MAX_CLAIM_WAIT.toSeconds());
        }
        long deadline = System.nanoTime() + w.toNanos();
        lock.lock();
        polling.merge(m, 1, Integer::sum);
        try {
            while (true) {
                for (var it = waiting.values().iterator(); it.hasNext(); ) {
                    Pending p = it.next();
                    if (p.model() == null || p.model().equals(m)) {
                        it.remove();
                        claimed.put(p.request().requestId(), p);
                        return Optional.of(p.request());
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                queued.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            polling.merge(m, -1, Integer::sum);
            lastSeen.put(m, clock.instant());
            lock.unlock();
        }
    }

    /** The worker's answer to a claimed request. */
    public void answer(String requestId, AssistAnswer answer) {
        Pending p = take(requestId);
        ClaimedAssist r = p.request();
        List<String> problems = new ArrayList<>();
        if (r.kind() == AssistKind.DESCRIBE_REGION) {
            if (answer.caption() == null) {
                problems.add("caption: missing");
            }
        } else if (answer.masks().isEmpty()) {
            problems.add("masks: at least one mask expected");
        }
        for (int i = 0; i < answer.masks().size(); i++) {
            AssistAnswer.Mask mask = answer.masks().get(i);
            if (mask.height() != r.imageHeight() || mask.width() != r.imageWidth()) {
                problems.add("masks[" + i + "].size: [" + mask.height() + ", " + mask.width() + "] is not the image's ["
                        + r.imageHeight() + ", " + r.imageWidth() + "]");
                continue;
            }
            try {
                Rle.fromString(mask.counts(), mask.height(), mask.width());
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add("masks[" + i + "].counts: " + e.getMessage());
            }
        }
        if (!answer.scores().isEmpty() && answer.scores().size() != answer.masks().size()) {
            problems.add("scores: " + answer.scores().size() + " scores for " + answer.masks().size() + " masks");
        }
        if (!problems.isEmpty()) {
            IllegalArgumentException bad = new IllegalArgumentException("Invalid answer to " + requestId + ": "
                    + String.join("; ", problems));
            p.answer().completeExceptionally(new AssistFailedException(bad.getMessage()));
            throw bad;
        }
        p.answer().complete(answer);
    }

    /** The worker could not answer (e.g. its model lacks the part): the caller gets 502 with the reason. */
    public void fail(String requestId, String reason) {
        take(requestId).answer().completeExceptionally(new AssistFailedException(
                reason == null || reason.isBlank() ? "(no reason given)" : reason));
    }

    private Pending take(String requestId) {
        lock.lock();
        try {
            Pending p = requestId == null ? null : claimed.remove(requestId);
            if (p == null) {
                throw new UnknownAssistRequestException(requestId);
            }
            return p;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a worker for the model (any model if null) is polling now or polled within workerSeen. */
    public boolean connected(String model) {
        lock.lock();
        try {
            Instant since = clock.instant().minus(workerSeen);
            if (model == null) {
                return polling.values().stream().anyMatch(n -> n > 0)
                        || lastSeen.values().stream().anyMatch(t -> t.isAfter(since));
            }
            return polling.getOrDefault(model, 0) > 0 || lastSeen.getOrDefault(model, Instant.MIN).isAfter(since);
        } finally {
            lock.unlock();
        }
    }

    static void validate(AssistKind kind, int width, int height, AssistPrompt p) {
        if (p.points().size() > MAX_POINTS) {
            throw new IllegalArgumentException("points: at most " + MAX_POINTS + ", got " + p.points().size());
        }
        for (int i = 0; i < p.points().size(); i++) {
            AssistPrompt.Point pt = p.points().get(i);
            inside("points[" + i + "]", pt.x(), pt.y(), width, height);
        }
        if (p.box() != null) {
            List<Double> b = p.box();
            if (b.size() != 4 || b.stream().anyMatch(v -> v == null)) {
                throw new IllegalArgumentException("box: must be [x0, y0, x1, y1]");
            }
            inside("box[0..1]", b.get(0), b.get(1), width, height);
            inside("box[2..3]", b.get(2), b.get(3), width, height);
            if (b.get(0) > b.get(2) || b.get(1) > b.get(3)) {
                throw new IllegalArgumentException("box: x0 > x1 or y0 > y1 in " + b);
            }
        }
        if (p.maskCounts() != null) {
            try {
                Rle.fromString(p.maskCounts(), height, width);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mask.counts: " + e.getMessage(), e);
            }
        }
        switch (kind) {
            case SEGMENT -> {
                if (p.points().isEmpty() && p.box() == null) {
                    throw new IllegalArgumentException("points/box: give at least one point or a box");
                }
            }
            case SEGMENT_PHRASE -> {
                if (p.phrase() == null || p.phrase().isBlank()) {
                    throw new IllegalArgumentException("phrase: missing or blank");
                }
                if (p.phrase().length() > MAX_PHRASE_LENGTH) {
                    throw new IllegalArgumentException("phrase: longer than " + MAX_PHRASE_LENGTH + " characters");
                }
            }
            case DESCRIBE_REGION -> {
                if (p.box() == null) {
                    throw new IllegalArgumentException("box: missing");
                }
            }
        }
    }

    private static void inside(String field, double x, double y, int width, int height) {
        if (!(x >= 0 && y >= 0 && x <= width && y <= height)) {
            throw new IllegalArgumentException(field + ": (" + x + ", " + y + ") is outside the " + width + "x" + height
                    + " image");
        }
    }
}

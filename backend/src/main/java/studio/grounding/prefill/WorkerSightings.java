package studio.grounding.prefill;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * When each worker last claimed (also with nothing to hand out: an idle worker polls), in memory: what the pre-fill
 * page needs to say whether a worker is connected. Forgotten on restart, which is what "recently" means here.
 */
@Component
class WorkerSightings {

    /** at most this many names are remembered; the oldest are dropped first */
    private static final int MAX_WORKERS = 1000;

    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Clock clock;

    WorkerSightings() {
        this(Clock.systemUTC());
    }

    WorkerSightings(Clock clock) {
        this.clock = clock;
    }

    void seen(String worker) {
        lastSeen.put(worker, clock.instant());
        if (lastSeen.size() > MAX_WORKERS) {
            lastSeen.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> lastSeen.remove(oldest.getKey(), oldest.getValue()));
        }
    }

    /** The workers seen within {@code window}, the most recent first. */
    List<WorkerSeen> within(Duration window) {
        Instant since = clock.instant().minus(window);
        return lastSeen.entrySet().stream().filter(e -> !e.getValue().isBefore(since))
                .map(e -> new WorkerSeen(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(WorkerSeen::lastSeen).reversed().thenComparing(WorkerSeen::name))
                .toList();
    }
}

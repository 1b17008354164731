package studio.grounding.prefill;

import java.time.Instant;
import java.util.Objects;

/**
 * An inference worker the platform heard from: its name and when it last claimed, renewed or finished a job.
 *
 * @param name     the worker's name as it claims
 * @param lastSeen when it last asked for or worked on a job
 */
public record WorkerSeen(String name, Instant lastSeen) {

    public WorkerSeen {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}

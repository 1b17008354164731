package studio.grounding.worker.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Wall-clock milliseconds per pipeline stage, in the order the stages ran. Not thread-safe. */
public final class StageTimings {

    private final Map<String, Double> millis = new LinkedHashMap<>();

    public <T> T time(String stage, Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(stage, System.nanoTime() - t0);
        }
    }

    public void add(String stage, long nanos) {
        millis.merge(stage, nanos / 1e6, Double::sum);
    }

    public Map<String, Double> millis() {
        return Collections.unmodifiableMap(millis);
    }

    public double total() {
        return millis.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        millis.forEach((k, v) -> s.append(String.format("%s=%.1fms ", k, v)));
        return s.toString().strip();
    }
}

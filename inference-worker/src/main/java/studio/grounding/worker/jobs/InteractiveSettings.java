package studio.grounding.worker.jobs;

import java.util.Map;

/**
 * Interactive requests (click-to-segment, ADR 0020), from the environment: {@code WORKER_MODEL_NAME} is the model
 * version name this worker serves them for (unset: the worker takes no interactive requests), {@code
 * WORKER_SAM_CACHE_MB} bounds the cached SAM image embeddings (default 1024 MiB: 256 images of SAM ViT-H).
 */
public record InteractiveSettings(String modelName, long cacheBytes) {

    public boolean enabled() {
        return modelName != null;
    }

    public static InteractiveSettings from(Map<String, String> env) {
        String name = env.get("WORKER_MODEL_NAME");
        String mb = env.get("WORKER_SAM_CACHE_MB");
        long cache;
        try {
            cache = mb == null || mb.isBlank() ? 1024 : Long.parseLong(mb.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("WORKER_SAM_CACHE_MB must be a whole number of MiB, got " + mb);
        }
        if (cache < 1 || cache > 1 << 20) {
            throw new IllegalArgumentException("WORKER_SAM_CACHE_MB must be 1..1048576, got " + cache);
        }
        return new InteractiveSettings(name == null || name.isBlank() ? null : name.strip(), cache << 20);
    }
}

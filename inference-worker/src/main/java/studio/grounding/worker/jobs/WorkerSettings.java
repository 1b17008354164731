package studio.grounding.worker.jobs;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The worker's configuration, read from the environment:
 * <ul>
 *   <li>{@code STUDIO_URL} (required): the platform's base URL, e.g. {@code http://localhost:8080}.</li>
 *   <li>{@code STUDIO_WORKER_TOKEN} (required): API token ({@code gs_...}) of an account with the WORKER role. Never
 *       logged: {@link #toString()} masks it.</li>
 *   <li>{@code GLAMM_MODEL_DIR} (required): the exported GLaMM directory (with {@code glamm.json}).</li>
 *   <li>{@code GLAMM_DEVICE}: {@code auto} (default), {@code cpu}, {@code gpu} or {@code gpu:N}.</li>
 *   <li>{@code WORKER_BATCH}: jobs asked for per claim (default 1, 1..100).</li>
 *   <li>{@code WORKER_CONCURRENCY}: jobs run at the same time (default 1); each slot loads its own model, the model
 *       is not thread-safe.</li>
 *   <li>{@code WORKER_LEASE_SECONDS}: lease asked for per claim and renewal (default 120, 3..1800); leases are renewed
 *       every third of it while a job runs.</li>
 *   <li>{@code WORKER_INSTANCE}: optional name of this process, appended to the account name in the job's worker
 *       column.</li>
 *   <li>{@code WORKER_GRACE_SECONDS}: on SIGTERM, how long running jobs may finish before they are handed back
 *       (default 30).</li>
 * </ul>
 */
public record WorkerSettings(URI studioUrl, String token, Path modelDir, String device, int batch, int concurrency,
                             int leaseSeconds, String instance, Duration grace) {

    public WorkerSettings {
        if (studioUrl == null) {
            throw new IllegalArgumentException("STUDIO_URL is required");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("STUDIO_WORKER_TOKEN is required");
        }
        if (batch < 1 || batch > 100) {
            throw new IllegalArgumentException("WORKER_BATCH must be 1..100, not " + batch);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("WORKER_CONCURRENCY must be at least 1, not " + concurrency);
        }
        if (leaseSeconds < 3 || leaseSeconds > 1800) {
            throw new IllegalArgumentException("WORKER_LEASE_SECONDS must be 3..1800, not " + leaseSeconds);
        }
        device = device == null || device.isBlank() ? "auto" : device.strip();
        grace = grace == null ? Duration.ofSeconds(30) : grace;
    }

    public static WorkerSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static WorkerSettings from(Map<String, String> env) {
        String url = env.get("STUDIO_URL");
        String dir = env.get("GLAMM_MODEL_DIR");
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("GLAMM_MODEL_DIR is required");
        }
        String base = url == null || url.isBlank() ? null : url.strip().replaceAll("/+$", "");
        return new WorkerSettings(base == null ? null : URI.create(base), env.get("STUDIO_WORKER_TOKEN"),
                Path.of(dir.strip()), env.get("GLAMM_DEVICE"), integer(env, "WORKER_BATCH", 1),
                integer(env, "WORKER_CONCURRENCY", 1), integer(env, "WORKER_LEASE_SECONDS", 120),
                env.get("WORKER_INSTANCE"), Duration.ofSeconds(integer(env, "WORKER_GRACE_SECONDS", 30)));
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, not " + v);
        }
    }

    @Override
    public String toString() {
        return "WorkerSettings[studioUrl=" + studioUrl + ", token=***, modelDir=" + modelDir + ", device=" + device
                + ", batch=" + batch + ", concurrency=" + concurrency + ", leaseSeconds=" + leaseSeconds
                + ", instance=" + instance + ", grace=" + grace + "]";
    }
}

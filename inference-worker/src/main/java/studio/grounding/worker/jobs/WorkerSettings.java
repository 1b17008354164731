package studio.grounding.worker.jobs;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
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
 *   <li>{@code GLAMM_DEVICE}: {@code auto} (default), {@code cpu}, {@code gpu}/{@code cuda} or
 *       {@code gpu:N}/{@code cuda:N} (model.DeviceSelection).</li>
 *   <li>{@code WORKER_BATCH}: jobs asked for per claim for one free slot, run as one model batch (default 1,
 *       1..100).</li>
 *   <li>{@code WORKER_CONCURRENCY}: model slots, each running one batch at a time (default 1); each slot loads its
 *       own model, the model is not thread-safe.</li>
 *   <li>{@code WORKER_LEASE_SECONDS}: lease asked for per claim and renewal (default 120, 3..1800); leases are renewed
 *       every third of it while a job runs.</li>
 *   <li>{@code WORKER_INSTANCE}: optional name of this process, appended to the account name in the job's worker
 *       column.</li>
 *   <li>{@code WORKER_GRACE_SECONDS}: on SIGTERM, how long running jobs may finish before they are handed back
 *       (default 30).</li>
 *   <li>{@code WORKER_METRICS_PORT}: port of the {@code /metrics} and {@code /health} server; unset, blank or 0 means
 *       {@value #DEFAULT_METRICS_PORT}, {@code off} disables the server.</li>
 *   <li>{@code WORKER_METRICS_ADDRESS}: address it binds to (default {@code 127.0.0.1}, loopback only; a container
 *       sets {@code 0.0.0.0} so that a scraper on its network reaches it).</li>
 * </ul>
 */
public record WorkerSettings(URI studioUrl, String token, Path modelDir, String device, int batch, int concurrency,
                             int leaseSeconds, String instance, Duration grace, InetAddress metricsAddress,
                             int metricsPort) {

    public static final int DEFAULT_METRICS_PORT = 9464;
    /** {@link #metricsPort()} when the metrics/health server is switched off. */
    public static final int METRICS_OFF = -1;

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
        if (metricsPort != METRICS_OFF && (metricsPort < 1 || metricsPort > 65535)) {
            throw new IllegalArgumentException("WORKER_METRICS_PORT must be 1..65535, 0 (default " + DEFAULT_METRICS_PORT
                    + ") or off, not " + metricsPort);
        }
        metricsAddress = metricsAddress == null ? InetAddress.getLoopbackAddress() : metricsAddress;
    }

    public boolean metricsEnabled() {
        return metricsPort != METRICS_OFF;
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
                env.get("WORKER_INSTANCE"), Duration.ofSeconds(integer(env, "WORKER_GRACE_SECONDS", 30)),
                address(env.get("WORKER_METRICS_ADDRESS")), metricsPort(env));
    }

    private static int metricsPort(Map<String, String> env) {
        String v = env.get("WORKER_METRICS_PORT");
        if (v != null && v.strip().equalsIgnoreCase("off")) {
            return METRICS_OFF;
        }
        int port = integer(env, "WORKER_METRICS_PORT", 0);
        return port == 0 ? DEFAULT_METRICS_PORT : port;
    }

    private static InetAddress address(String v) {
        if (v == null || v.isBlank()) {
            return InetAddress.getLoopbackAddress();
        }
        if (!v.strip().matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("WORKER_METRICS_ADDRESS must be an IP address, not " + v);
        }
        try {
            return InetAddress.getByName(v.strip());   // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("WORKER_METRICS_ADDRESS must be an IP address, not " + v);
        }
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
                + ", instance=" + instance + ", grace=" + grace + ", metrics="
                + (metricsEnabled() ? metricsAddress.getHostAddress() + ":" + metricsPort : "off") + "]";
    }
}

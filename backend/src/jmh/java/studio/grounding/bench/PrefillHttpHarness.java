package studio.grounding.bench;

import static studio.grounding.bench.PrefillBenchData.H;
import static studio.grounding.bench.PrefillBenchData.W;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import studio.grounding.GroundingStudioApplication;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.prefill.PrefillService;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * The pre-fill queue's capacity through the REAL worker HTTP API: the platform runs as a web application on a
 * loopback port (embedded Tomcat, security filter chain with Bearer token lookup, JSON), and N concurrent HTTP
 * workers (one JDK {@link HttpClient} each, keep-alive) loop {@code POST /api/v1/worker/jobs/claim} →
 * {@code POST /api/v1/worker/jobs/{id}/result} with a GLaMM-like result (3 phrases, 3 masks of a 480×640 image in
 * COCO RLE, timings) until the queue is empty. Counts claims and results per second, latency percentiles, and
 * double claims (must be 0); checks every job SUCCEEDED with exactly one revision.
 * <pre>
 *   ./studio bench prefill-http [JOBS [WORKER LEVELS [JOBS PER CLAIM]]]     # default 2000 1,2,4,8,16 1
 * </pre>
 */
public final class PrefillHttpHarness {

    private static final Pattern JOB = Pattern.compile("\"jobId\":(\\d+),\"leaseToken\":\"([0-9a-f-]+)\"");

    private PrefillHttpHarness() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int[] levels = Arrays.stream((args.length > 1 ? args[1] : "1,2,4,8,16").split(",")).mapToInt(Integer::parseInt).toArray();
        int claimBatch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path work = Path.of("target/bench-prefill-http").toAbsolutePath();
        PrefillBenchData.deleteRecursively(work);
        Files.createDirectories(work);
        SpringApplication app = new SpringApplication(GroundingStudioApplication.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        try (ConfigurableApplicationContext context = app.run(arguments(
                "studio.data-dir", work.resolve("data").toString(),
                "studio.embedded-database.clean", "true", "studio.demo.enabled", "false",
                "studio.admin-password", "bench-password-not-used", "logging.level.root", "WARN",
                "server.address", "127.0.0.1", "server.port", "0"))) {
            int port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
            URI base = URI.create("http://127.0.0.1:" + port);
            DatasetService datasets = context.getBean(DatasetService.class);
            PrefillService prefill = context.getBean(PrefillService.class);
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            ModelVersion model = context.getBean(ModelVersionService.class).getOrCreate("glamm-bench-http");
            context.getBean(UserService.class).create("bench-worker", "bench worker", "bench-worker-password",
                    Set.of(Role.WORKER));
            String token = context.getBean(ApiTokenService.class).issue("bench-worker", "bench").plaintext();
            String resultTemplate = resultJson();
            System.out.printf("platform on %s; jobs per level: %,d; jobs per claim: %d; result: 3 phrases, 3 masks "
                    + "%dx%d (%,d bytes of JSON); one HttpClient per worker%n", base, jobs, claimBatch, H, W,
                    resultTemplate.length());
            System.out.println("| HTTP workers | jobs | elapsed | jobs/s | claims+results/s | p50 claim ms | p99 claim ms | p50 result ms | p99 result ms | double claims |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            run(base, token, datasets, prefill, jdbc, model, resultTemplate, Math.min(jobs, 500), 4, claimBatch,
                    "warmup", false);
            for (int workers : levels) {
                run(base, token, datasets, prefill, jdbc, model, resultTemplate, jobs, workers, claimBatch,
                        "w" + workers, true);
            }
        }
    }

    private static void run(URI base, String token, DatasetService datasets, PrefillService prefill, JdbcClient jdbc,
                            ModelVersion model, String resultTemplate, int jobs, int workers, int claimBatch,
                            String name, boolean report) throws Exception {
        DatasetSummary ds = PrefillBenchData.queuedDataset(datasets, prefill, jdbc, model, jobs, "bench-http-" + name);
        Set<Long> claimed = ConcurrentHashMap.newKeySet();
        AtomicLong doubles = new AtomicLong();
        AtomicLong claims = new AtomicLong();
        AtomicLong results = new AtomicLong();
        List<long[]> claimNanos = new ArrayList<>();
        List<long[]> resultNanos = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < workers; t++) {
            long[] cn = new long[jobs + 16];
            long[] rn = new long[jobs + 16];
            claimNanos.add(cn);
            resultNanos.add(rn);
            String claimBody = "{\"max\":" + claimBatch + ",\"leaseSeconds\":300,\"instance\":\"" + name + "-" + t + "\"}";
            futures.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                start.await();
                int c = 0;
                int r = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    String answer = post(http, base.resolve("/api/v1/worker/jobs/claim"), token, claimBody);
                    cn[c++] = System.nanoTime() - t0;
                    claims.incrementAndGet();
                    Matcher m = JOB.matcher(answer);
                    boolean any = false;
                    while (m.find()) {
                        any = true;
                        long jobId = Long.parseLong(m.group(1));
                        if (!claimed.add(jobId)) {
                            doubles.incrementAndGet();
                        }
                        long t1 = System.nanoTime();
                        String outcome = post(http, base.resolve("/api/v1/worker/jobs/" + jobId + "/result"), token,
                                resultTemplate.replace("LEASE", m.group(2)));
                        rn[r++] = System.nanoTime() - t1;
                        results.incrementAndGet();
                        if (!outcome.contains("\"status\":\"SUCCEEDED\"")) {
                            throw new IllegalStateException("job " + jobId + ": " + outcome);
                        }
                    }
                    if (!any) {
                        if (!answer.contains("\"jobs\":[]")) {
                            throw new IllegalStateException("unexpected claim answer: " + answer);
                        }
                        return null;
                    }
                }
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        long succeeded = jdbc.sql("select count(*) from prefill_jobs j join items it on it.id = j.item_id "
                + "where it.dataset_id = :ds and j.status = 'SUCCEEDED'").param("ds", ds.id()).query(Long.class).single();
        long revisionsStored = jdbc.sql("select count(*) from caption_revisions r join items it on it.id = r.item_id "
                + "where it.dataset_id = :ds").param("ds", ds.id()).query(Long.class).single();
        if (succeeded != jobs || revisionsStored != jobs || claimed.size() != jobs) {
            throw new IllegalStateException("succeeded " + succeeded + ", revisions " + revisionsStored + ", claimed "
                    + claimed.size() + " of " + jobs);
        }
        if (!report) {
            return;
        }
        double s = elapsed / 1e9;
        long[] c = flatten(claimNanos);
        long[] r = flatten(resultNanos);
        System.out.printf("| %d | %,d | %.2f s | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %d |%n", workers, jobs, s,
                jobs / s, (claims.get() + results.get()) / s, pct(c, 50), pct(c, 99), pct(r, 50), pct(r, 99), doubles.get());
    }

    private static String post(HttpClient http, URI uri, String token, String json) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (res.statusCode() != 200) {
            throw new IllegalStateException("POST " + uri.getPath() + ": " + res.statusCode() + " " + res.body());
        }
        return res.body();
    }

    private static long[] flatten(List<long[]> arrays) {
        return arrays.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** The worker's result JSON (as the worker's PlatformClient writes it) with {@code LEASE} for the lease token. */
    private static String resultJson() {
        return "{\"leaseToken\":\"LEASE\",\"caption\":\"A man rides a horse near a wooden fence.\","
                + "\"phrases\":[{\"text\":\"A man\",\"start\":0,\"end\":5},{\"text\":\"a horse\",\"start\":12,\"end\":19},"
                + "{\"text\":\"a wooden fence\",\"start\":25,\"end\":39}],"
                + "\"masks\":[" + mask(40, 60, 200, 300) + "," + mask(300, 100, 250, 200) + "," + mask(0, 380, 640, 100)
                + "],\"timings\":{\"global_encoder\":12.0,\"decode_steps\":850.0,\"pixel_decoder\":40.0}}";
    }

    private static String mask(int x, int y, int w, int h) {
        String counts = PrefillBenchData.boxCounts(x, y, w, h).replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"size\":[" + H + "," + W + "],\"counts\":\"" + counts + "\"}";
    }

    private static String[] arguments(String... keysAndValues) {
        String[] args = new String[keysAndValues.length / 2];
        for (int i = 0; i < args.length; i++) {
            args[i] = "--" + keysAndValues[2 * i] + "=" + keysAndValues[2 * i + 1];
        }
        return args;
    }
}

package studio.grounding.bench;

import static studio.grounding.bench.PrefillBenchData.H;
import static studio.grounding.bench.PrefillBenchData.W;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import studio.grounding.GroundingStudioApplication;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.prefill.ClaimedJob;
import studio.grounding.prefill.JobOutcome;
import studio.grounding.prefill.JobStatus;
import studio.grounding.prefill.PrefillResult;
import studio.grounding.prefill.PrefillService;

/**
 * Throughput of the pre-fill queue against {@link PrefillService} on the embedded PostgreSQL: for each number of
 * concurrent workers, a fresh dataset of {@code jobs} items is queued and drained by worker threads that claim one
 * job at a time and submit a GLaMM-like result (3 phrases, 3 masks of a 480×640 image, timings) — the platform's
 * share of the work only, no inference. Counts double claims (must be 0) and checks every job completed once.
 * <pre>
 *   mvn -B -pl backend -Pbench test-compile exec:exec -Dbench.main=studio.grounding.bench.PrefillHarness \
 *       -Djmh.args="2000 1,2,4,8,16"
 * </pre>
 */
public final class PrefillHarness {


    private PrefillHarness() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int[] levels = Arrays.stream((args.length > 1 ? args[1] : "1,2,4,8,16").split(",")).mapToInt(Integer::parseInt).toArray();
        int claimBatch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path work = Path.of("target/bench-prefill").toAbsolutePath();
        PrefillBenchData.deleteRecursively(work);
        Files.createDirectories(work);
        SpringApplication app = new SpringApplication(GroundingStudioApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        // command-line arguments: they win over application.properties (default properties would not)
        try (ConfigurableApplicationContext context = app.run(arguments(
                "studio.data-dir", work.resolve("data").toString(),
                "studio.embedded-database.clean", "true", "studio.demo.enabled", "false",
                "studio.admin-password", "bench-password-not-used", "logging.level.root", "WARN"))) {
            PrefillService prefill = context.getBean(PrefillService.class);
            DatasetService datasets = context.getBean(DatasetService.class);
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            ModelVersion model = context.getBean(ModelVersionService.class).getOrCreate("glamm-bench");
            PrefillResult result = result();
            System.out.printf("jobs per level: %,d; claim batch: %d; result: 3 phrases, 3 masks %dx%d; pool: 10 connections%n",
                    jobs, claimBatch, H, W);
            System.out.println("| workers | jobs | elapsed | jobs/s | claims+results/s | p50 claim ms | p99 claim ms | p50 result ms | p99 result ms | double claims |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            // warm-up round (JIT, connection pool, plans), not reported
            run(prefill, datasets, jdbc, model, result, Math.min(jobs, 500), 4, claimBatch, "warmup", false);
            for (int workers : levels) {
                run(prefill, datasets, jdbc, model, result, jobs, workers, claimBatch, "w" + workers, true);
            }
        }
    }

    private static void run(PrefillService prefill, DatasetService datasets, JdbcClient jdbc, ModelVersion model,
                            PrefillResult result, int jobs, int workers, int claimBatch, String name, boolean report)
            throws Exception {
        DatasetSummary ds = PrefillBenchData.queuedDataset(datasets, prefill, jdbc, model, jobs, "bench-" + name);
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
            String worker = "bench-worker-" + t;
            futures.add(pool.submit(() -> {
                start.await();
                int c = 0;
                int r = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    List<ClaimedJob> got = prefill.claim(worker, claimBatch, Duration.ofMinutes(5));
                    cn[c++] = System.nanoTime() - t0;
                    claims.incrementAndGet();
                    if (got.isEmpty()) {
                        cn[0] = cn[0] == 0 ? 1 : cn[0];
                        Arrays.fill(cn, c, cn.length, -1);
                        Arrays.fill(rn, r, rn.length, -1);
                        return null;
                    }
                    for (ClaimedJob job : got) {
                        if (!claimed.add(job.jobId())) {
                            doubles.incrementAndGet();
                        }
                        long t1 = System.nanoTime();
                        JobOutcome outcome = prefill.complete(job.jobId(), job.worker(), job.leaseToken(), result);
                        rn[r++] = System.nanoTime() - t1;
                        results.incrementAndGet();
                        if (outcome.status() != JobStatus.SUCCEEDED) {
                            throw new IllegalStateException("job " + job.jobId() + " " + outcome);
                        }
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

    private static long[] flatten(List<long[]> arrays) {
        return arrays.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** A GLaMM-like result: 3 phrases located in the caption, 3 box masks of the image, per-stage timings. */
    private static PrefillResult result() {
        List<PrefillResult.Mask> masks = List.of(box(40, 60, 200, 300), box(300, 100, 250, 200), box(0, 380, 640, 100));
        return new PrefillResult("A man rides a horse near a wooden fence.",
                List.of(new PrefillResult.Phrase("A man", 0, 5), new PrefillResult.Phrase("a horse", null, null),
                        new PrefillResult.Phrase("a wooden fence", null, null)),
                masks, List.of(0.97, 0.91, 0.88), Map.of("preprocess", 12.0, "generate", 850.0, "sam_decode", 40.0));
    }

    private static PrefillResult.Mask box(int x, int y, int w, int h) {
        return new PrefillResult.Mask(H, W, PrefillBenchData.boxCounts(x, y, w, h));
    }

    /** {@code key, value, key, value, ...} as Spring Boot command-line arguments {@code --key=value}. */
    private static String[] arguments(String... keysAndValues) {
        String[] args = new String[keysAndValues.length / 2];
        for (int i = 0; i < args.length; i++) {
            args[i] = "--" + keysAndValues[2 * i] + "=" + keysAndValues[2 * i + 1];
        }
        return args;
    }
}

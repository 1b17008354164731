package studio.grounding.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.RevisionSummary;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.platform.PackagedPlatform;
import studio.grounding.platform.PackagedPlatformExtension;
import studio.grounding.prefill.JobInfo;
import studio.grounding.prefill.JobStatus;
import studio.grounding.prefill.PrefillService;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * The pre-fill loop end to end: the REAL platform as users run it (the packaged platform jar,
 * {@code frontend/target/grounding-studio.jar}, started with {@code java -jar} as {@code ./studio} does: web UI and
 * its security included, REST API on a free loopback port, embedded PostgreSQL) and the REAL worker (the packaged
 * inference-worker jar, started as its README says, with the tiny GLaMM model) as separate processes. Nothing is
 * faked: HTTP, auth (a WORKER token from {@code ./studio token create}), claims, leases, image fetches, the model
 * and the result storage all run for real.
 *
 * <p>Run by failsafe in {@code mvn verify} (the frontend module packages the platform jar before this module; system
 * properties {@code studio.jar} and {@code worker.jar}). The platform's output goes to
 * {@code target/packaged-platform.log}, each worker's to {@code target/e2e-worker-*.log}.
 */
@ExtendWith(PackagedPlatformExtension.class)
class PrefillEndToEndIT {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int LEASE_SECONDS = 6;

    private static Path dataDir;
    private static String studioUrl;
    private static String workerToken;
    private static DatasetService datasets;
    private static ImageStore images;
    private static PrefillService prefill;
    private static RevisionService revisions;
    private static ModelVersionService models;
    private static ConfigurableApplicationContext context;

    private final List<Process> workers = new ArrayList<>();
    private final Map<String, Integer> metricsPorts = new java.util.HashMap<>();

    @BeforeAll
    static void platform(PackagedPlatform jar) throws Exception {
        studioUrl = jar.url();
        dataDir = Files.createTempDirectory("studio-e2e-images-");
        // the platform's services in this JVM, attached to the jar's database (as a CLI job attaches): test data
        // goes in and results are read through them; the worker only talks to the jar over HTTP
        context = jar.attached();
        datasets = context.getBean(DatasetService.class);
        images = context.getBean(ImageStore.class);
        prefill = context.getBean(PrefillService.class);
        revisions = context.getBean(RevisionService.class);
        models = context.getBean(ModelVersionService.class);

        context.getBean(UserService.class).create("glamm-worker", "GLaMM worker", "worker-password-e2e",
                Set.of(Role.WORKER));
        // as an admin sets a worker up on the server's host
        workerToken = jar.createToken("glamm-worker", "e2e");
    }

    @AfterAll
    static void close() throws IOException {
        if (dataDir != null) {
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (Process p : workers) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    @Test
    @Timeout(120)
    void aWorkerPrefillsEveryItemAndStopsOnSigterm() throws Exception {
        List<Long> items = seed("e2e-prefill", 3);
        ModelVersion model = models.getOrCreate("tiny-glamm-e2e");
        long dataset = datasets.require("e2e-prefill").id();
        assertThat(prefill.queue(dataset, model.id(), null, "e2e", 0).queued()).isEqualTo(3);

        Process worker = startWorker("w1");
        await(() -> items.stream().allMatch(id -> status(id) == JobStatus.SUCCEEDED), Duration.ofSeconds(90), worker);

        for (long item : items) {
            assertPrefilled(item, model);
            assertThat(prefill.jobsOfItem(item)).singleElement()
                    .satisfies(j -> assertThat(j.worker()).isEqualTo("glamm-worker/w1"));
        }

        // the worker's own /health and /metrics (loopback, a free port per worker)
        String base = "http://127.0.0.1:" + metricsPorts.get("w1");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"modelLoaded\":true");
        String metrics = "";
        // the worker counts a result once the platform's answer is back, a moment after the job row says SUCCEEDED
        for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end; Thread.sleep(50)) {
            metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.contains("glamm_worker_images_total 3")) {
                break;
            }
        }
        assertThat(metrics).containsPattern("(?m)^glamm_worker_jobs_total\\{outcome=\"succeeded\"} 3(\\.0)?$")
                .containsPattern("(?m)^glamm_worker_images_total 3(\\.0)?$")
                .containsPattern("(?m)^glamm_worker_stage_seconds_count\\{stage=\"decode_steps\"} 3(\\.0)?$");

        worker.destroy();   // SIGTERM: the shutdown hook stops claiming and exits
        assertThat(worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("worker exits on SIGTERM").isTrue();
    }

    @Test
    @Timeout(150)
    void killingAWorkerMidJobLosesNothing() throws Exception {
        List<Long> items = seed("e2e-kill", 4);
        ModelVersion model = models.getOrCreate("tiny-glamm-e2e-kill");
        long dataset = datasets.require("e2e-kill").id();
        assertThat(prefill.queue(dataset, model.id(), null, "e2e", 0).queued()).isEqualTo(4);

        Process first = startWorker("k1");
        await(() -> items.stream().anyMatch(id -> status(id) == JobStatus.RUNNING), Duration.ofSeconds(60), first);
        first.destroyForcibly();   // SIGKILL: no hand-back, the job is left to its lease
        first.waitFor();
        List<Long> orphaned = items.stream().filter(id -> status(id) == JobStatus.RUNNING).toList();
        assertThat(orphaned).as("a job was left RUNNING by the killed worker").isNotEmpty();

        Process second = startWorker("k2");
        await(() -> items.stream().allMatch(id -> status(id) == JobStatus.SUCCEEDED),
                Duration.ofSeconds(LEASE_SECONDS + 80L), second);

        for (long item : items) {
            List<JobInfo> jobs = prefill.jobsOfItem(item);
            assertThat(jobs).as("one job per item").hasSize(1);
            assertThat(jobs.getFirst().status()).isEqualTo(JobStatus.SUCCEEDED);
            List<RevisionSummary> modelRevisions = revisions.history(item).stream()
                    .filter(r -> r.origin() == Origin.MODEL).toList();
            assertThat(modelRevisions).as("exactly one MODEL revision for item %d", item).hasSize(1);
            assertPrefilled(item, model);
        }
        for (long item : orphaned) {
            JobInfo job = prefill.jobsOfItem(item).getFirst();
            assertThat(job.worker()).as("the orphaned job was finished by the second worker").isEqualTo("glamm-worker/k2");
            assertThat(job.attempts()).isGreaterThanOrEqualTo(2);
        }
        second.destroy();
        assertThat(second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Click-to-segment through the platform (ADR 0020): the editor's REST call is answered 503 while no worker is
     * connected, then by the real worker process polling the interactive queue, with a mask at the image size that
     * contains the click; a kind the worker does not serve comes back as 502 with its reason.
     */
    @Test
    @Timeout(120)
    void anEditorsClickIsSegmentedByTheConnectedWorker() throws Exception {
        long item = seed("e2e-assist", 1).getFirst();
        String modelName = "tiny-glamm-e2e-assist";
        context.getBean(UserService.class).create("e2e-annotator", "Annotator", "annotator-password-e2e",
                Set.of(Role.ANNOTATOR));
        String annotator = context.getBean(ApiTokenService.class).issue("e2e-annotator", "e2e").plaintext();
        String click = "{\"model\":\"" + modelName + "\",\"points\":[{\"x\":100,\"y\":120}]}";
        HttpResponse<String> none = editor(annotator, "/api/v1/items/" + item + "/segment", click);
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body()).contains("No worker with model " + modelName + " connected");

        Process worker = startWorker("a1", Map.of("WORKER_MODEL_NAME", modelName));
        awaitInteractiveWorker(annotator, item, modelName, worker);

        HttpResponse<String> first = editor(annotator, "/api/v1/items/" + item + "/segment", click);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        com.google.gson.JsonObject mask = com.google.gson.JsonParser.parseString(first.body()).getAsJsonObject()
                .getAsJsonObject("mask");
        assertThat(mask.get("size").toString()).isEqualTo("[" + HEIGHT + "," + WIDTH + "]");
        Rle rle = Rle.fromString(mask.get("counts").getAsString(), HEIGHT, WIDTH);
        assertThat(rle.area()).isBetween(1L, (long) WIDTH * HEIGHT - 1);
        assertThat(pixel(rle, 100, 120)).as("the clicked pixel is in the mask").isTrue();
        // the same image again: the worker's embedding cache answers, and a negative click changes the mask
        HttpResponse<String> second = editor(annotator, "/api/v1/items/" + item + "/segment",
                "{\"model\":\"" + modelName + "\",\"points\":[{\"x\":100,\"y\":120},"
                        + "{\"x\":110,\"y\":120,\"positive\":false}]}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(second.body()).isNotEqualTo(first.body());

        HttpResponse<String> phrase = editor(annotator, "/api/v1/items/" + item + "/segment-phrase",
                "{\"model\":\"" + modelName + "\",\"phrase\":\"the square\"}");
        assertThat(phrase.statusCode()).isEqualTo(502);
        assertThat(phrase.body()).contains("SEGMENT_PHRASE is not served by this worker yet");
        worker.destroy();
        assertThat(worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("worker exits on SIGTERM").isTrue();
    }

    /**
     * {@code ./studio bench sam [CALLS]}: click → mask latency through the platform (REST call of the editor, the
     * interactive queue, the real worker process, the tiny model on the CPU), embedding cache warm; plus the first
     * (cold) call per image. Runs only with {@code -Dbench.sam=CALLS}; writes target/benchmarks/sam.md.
     */
    @Test
    @Timeout(600)
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "bench.sam", matches = "\\d+")
    void samLatencyBenchmark() throws Exception {
        int calls = Integer.parseInt(System.getProperty("bench.sam"));
        List<Long> items = seed("bench-sam", 5);
        String modelName = "tiny-glamm-bench-sam";
        context.getBean(UserService.class).create("bench-annotator", "Annotator", "annotator-password-bench",
                Set.of(Role.ANNOTATOR));
        String annotator = context.getBean(ApiTokenService.class).issue("bench-annotator", "bench").plaintext();
        Process worker = startWorker("bench", Map.of("WORKER_MODEL_NAME", modelName));
        awaitInteractiveWorker(annotator, items.getFirst(), modelName, worker);
        java.util.Random rnd = new java.util.Random(13);
        List<Double> cold = new ArrayList<>();
        for (long item : items.subList(1, items.size())) {
            cold.add(timedClick(annotator, item, modelName, rnd));
        }
        for (int i = 0; i < 20; i++) {
            timedClick(annotator, items.getFirst(), modelName, rnd);      // warm-up (JIT, cache)
        }
        double[] warm = new double[calls];
        for (int i = 0; i < calls; i++) {
            warm[i] = timedClick(annotator, items.getFirst(), modelName, rnd);
        }
        java.util.Arrays.sort(warm);
        String md = String.format(java.util.Locale.ROOT, "| calls | p50 ms | p95 ms | max ms | cold (first click per "
                + "image) ms, mean of %d |%n|---|---|---|---|---|%n| %d | %.1f | %.1f | %.1f | %.1f |%n", cold.size(),
                calls, warm[(int) (calls * 0.50)], warm[Math.min(calls - 1, (int) (calls * 0.95))], warm[calls - 1],
                cold.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        Path out = Path.of("target", "benchmarks", "sam.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        System.out.println(md);
        worker.destroy();
        worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static double timedClick(String token, long item, String model, java.util.Random rnd) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"points\":[{\"x\":" + rnd.nextInt(WIDTH) + ",\"y\":"
                + rnd.nextInt(HEIGHT) + "}]}";
        long t0 = System.nanoTime();
        HttpResponse<String> r = editor(token, "/api/v1/items/" + item + "/segment", body);
        double ms = (System.nanoTime() - t0) / 1e6;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ms;
    }

    private static final HttpClient EDITOR_HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> editor(String token, String path, String body) throws Exception {
        return EDITOR_HTTP.send(HttpRequest.newBuilder(URI.create(studioUrl + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Pixel (x, y) of a column-major RLE. */
    private static boolean pixel(Rle rle, int x, int y) {
        long at = (long) x * rle.height() + y;
        long pos = 0;
        int[] counts = rle.counts();
        for (int i = 0; i < counts.length; i++) {
            if (at < pos + counts[i]) {
                return i % 2 == 1;
            }
            pos += counts[i];
        }
        return false;
    }

    private static void assertPrefilled(long item, ModelVersion model) {
        Revision latest = revisions.latest(item).orElseThrow();
        assertThat(latest.origin()).isEqualTo(Origin.MODEL);
        assertThat(latest.modelVersionId()).isEqualTo(model.id());
        List<MaskRle> masks = new ArrayList<>(latest.caption().unlinkedMasks());
        latest.caption().phrases().forEach(p -> masks.addAll(p.masks()));
        assertThat(masks).isNotEmpty().allSatisfy(m -> {
            assertThat(m.height()).isEqualTo(HEIGHT);
            assertThat(m.width()).isEqualTo(WIDTH);
        });
        assertThat(datasets.item(item).orElseThrow().status()).isEqualTo(ItemStatus.PREFILLED);
    }

    private static JobStatus status(long item) {
        List<JobInfo> jobs = prefill.jobsOfItem(item);
        return jobs.isEmpty() ? null : jobs.getFirst().status();
    }

    /** A dataset of {@code n} items, each a different 320×240 PNG. */
    private static List<Long> seed(String name, int n) throws IOException {
        DatasetSummary ds = datasets.getOrCreate(name, "e2e");
        List<Long> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    img.setRGB(x, y, ((x * 7 + i * 50) & 0xff) << 16 | ((y * 5 + i * 30) & 0xff) << 8 | ((x + y) & 0xff));
                }
            }
            Path png = dataDir.resolve(name + "-" + i + ".png");
            ImageIO.write(img, "png", png.toFile());
            ImageInfo image = datasets.addImage(ds.id(), png.getFileName().toString(), images.store(png), "e2e",
                    Split.TRAIN);
            items.add(datasets.ensureItem(image).id());
        }
        return items;
    }

    /**
     * Waits until the platform (the jar's own in-memory assist queue) sees a worker polling for {@code model}: the
     * editor's segment call stops answering 503, as an annotator would notice.
     */
    private void awaitInteractiveWorker(String token, long item, String model, Process worker) throws Exception {
        String click = "{\"model\":\"" + model + "\",\"points\":[{\"x\":1,\"y\":1}]}";
        await(() -> {
            try {
                return editor(token, "/api/v1/items/" + item + "/segment", click).statusCode() != 503;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(90), worker);
    }

    private Process startWorker(String instance) throws IOException {
        return startWorker(instance, Map.of());
    }

    private Process startWorker(String instance, Map<String, String> extraEnv) throws IOException {
        Path jar = Path.of(System.getProperty("worker.jar", "target/inference-worker-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the packaged worker jar").isRegularFile();
        Path modelDir = Path.of("src/test/resources/tiny-glamm").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Djava.awt.headless=true", "-jar", jar.toString());
        Map<String, String> env = pb.environment();
        env.put("STUDIO_URL", studioUrl);
        env.put("STUDIO_WORKER_TOKEN", workerToken);
        env.put("GLAMM_MODEL_DIR", modelDir.toString());
        env.put("GLAMM_DEVICE", "cpu");
        env.put("WORKER_BATCH", "1");
        env.put("WORKER_CONCURRENCY", "1");
        env.put("WORKER_LEASE_SECONDS", String.valueOf(LEASE_SECONDS));
        env.put("WORKER_GRACE_SECONDS", "5");
        env.put("WORKER_INSTANCE", instance);
        int metricsPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            metricsPort = free.getLocalPort();
        }
        metricsPorts.put(instance, metricsPort);
        env.put("WORKER_METRICS_PORT", String.valueOf(metricsPort));
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        String cache = System.getProperty("DJL_CACHE_DIR");
        if (cache != null) {
            env.put("DJL_CACHE_DIR", cache);
        }
        env.putAll(extraEnv);
        pb.redirectErrorStream(true);
        pb.redirectOutput(Path.of("target", "e2e-worker-" + instance + ".log").toFile());
        Process p = pb.start();
        workers.add(p);
        return p;
    }

    private static void await(BooleanSupplier condition, Duration timeout, Process worker) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(worker.isAlive()).as("worker process alive (see target/e2e-worker-*.log)").isTrue();
            assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(end);
            Thread.sleep(10);
        }
    }
}

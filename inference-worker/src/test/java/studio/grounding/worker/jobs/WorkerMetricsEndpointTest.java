package studio.grounding.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.grounding.worker.model.DjlOffline;
import studio.grounding.worker.model.GlammModel;

/**
 * The worker's {@code /metrics} and {@code /health}, scraped over HTTP from the real {@link StatusServer} while the
 * real {@link JobLoop} runs the real tiny model against {@link FakePlatform} (loopback).
 */
class WorkerMetricsEndpointTest {

    private static GlammModel model;
    private static byte[] portrait;
    private static int width;
    private static int height;

    private final HttpClient http = HttpClient.newHttpClient();
    private FakePlatform platform;
    private WorkerMetrics metrics;
    private StatusServer server;
    private JobLoop loop;

    @BeforeAll
    static void load() throws Exception {
        DjlOffline.enforce();
        Path dir = Path.of(WorkerMetricsEndpointTest.class.getResource("/tiny-glamm/glamm.json").toURI()).getParent();
        model = GlammModel.load(dir, Device.cpu());
        Path png = dir.resolve("reference/portrait.png");
        portrait = Files.readAllBytes(png);
        BufferedImage img = ImageIO.read(png.toFile());
        width = img.getWidth();
        height = img.getHeight();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @BeforeEach
    void start() throws Exception {
        platform = new FakePlatform();
        metrics = new WorkerMetrics();
        server = StatusServer.start(InetAddress.getLoopbackAddress(), 0, metrics);
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(5));
        }
        server.close();
        platform.close();
    }

    private void startLoop(Predictor predictor, int leaseSeconds) {
        metrics.modelsLoaded(1);
        loop = new JobLoop(new PlatformClient(platform.url(), FakePlatform.TOKEN), List.of(predictor), 1, leaseSeconds,
                "metrics", Duration.ofMillis(20), Duration.ofMillis(100), metrics);
        loop.start();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample line ({@code name{labels} value}) in the Prometheus text. */
    private static double sample(String text, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("sample %s in%n%s", nameAndLabels, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void listensOnLoopbackAndIsDownBeforeTheModelIsLoaded() throws Exception {
        assertThat(server.address().isLoopbackAddress()).isTrue();
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonObject h = JsonParser.parseString(health.body()).getAsJsonObject();
        assertThat(h.get("status").getAsString()).isEqualTo("DOWN");
        assertThat(h.get("modelLoaded").getAsBoolean()).isFalse();
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(405);
    }

    @Test
    void countersAndStageTimersMoveWhileTheLoopWorks() throws Exception {
        String before = get("/metrics").body();
        assertThat(sample(before, "glamm_worker_jobs_total{outcome=\"succeeded\"}")).isZero();
        assertThat(sample(before, "glamm_worker_images_total")).isZero();

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        platform.queue(1, "first", portrait, width, height);
        platform.queue(2, "second", portrait, width, height);
        startLoop(image -> {
            running.countDown();
            release.await(30, TimeUnit.SECONDS);
            Thread.sleep(1_300);   // past the first renewal (lease 3 s, renewed every 1 s)
            return model.predict(image);
        }, 3);
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        // a job is running: in flight, claimed, healthy
        String during = get("/metrics").body();
        assertThat(sample(during, "glamm_worker_jobs_in_flight")).isEqualTo(1.0);
        assertThat(sample(during, "glamm_worker_jobs_claimed_total")).isGreaterThanOrEqualTo(1.0);
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonObject h = JsonParser.parseString(health.body()).getAsJsonObject();
        assertThat(h.get("status").getAsString()).isEqualTo("UP");
        assertThat(h.get("modelLoaded").getAsBoolean()).isTrue();
        assertThat(h.get("platformReachable").getAsBoolean()).isTrue();
        assertThat(h.get("inFlight").getAsInt()).isEqualTo(1);
        assertThat(h.get("lastSuccessfulClaim").getAsString()).isNotBlank();

        release.countDown();
        await(() -> loop.submittedCount() == 2, Duration.ofSeconds(60));

        String after = get("/metrics").body();
        assertThat(sample(after, "glamm_worker_jobs_total{outcome=\"succeeded\"}")).isEqualTo(2.0);
        assertThat(sample(after, "glamm_worker_jobs_total{outcome=\"failed\"}")).isZero();
        assertThat(sample(after, "glamm_worker_images_total")).isEqualTo(2.0);
        assertThat(sample(after, "glamm_worker_images_per_second")).isEqualTo(2.0 / 60);
        assertThat(sample(after, "glamm_worker_jobs_claimed_total")).isEqualTo(2.0);
        assertThat(sample(after, "glamm_worker_lease_renewals_total{result=\"renewed\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(sample(after, "glamm_worker_jobs_in_flight")).isZero();
        assertThat(sample(after, "glamm_worker_job_seconds_count")).isEqualTo(2.0);
        assertThat(sample(after, "glamm_worker_job_seconds_sum")).isGreaterThan(2.6);   // two jobs of > 1.3 s each
        // one timer per stage the model measured, each recorded once per job, with time on it
        for (String stage : List.of("global_encoder", "decode_steps", "pixel_decoder")) {
            assertThat(sample(after, "glamm_worker_stage_seconds_count{stage=\"" + stage + "\"}")).isEqualTo(2.0);
            assertThat(sample(after, "glamm_worker_stage_seconds_sum{stage=\"" + stage + "\"}")).isPositive();
        }
    }

    @Test
    void failuresHandBacksAndAnUnreachablePlatformShow() throws Exception {
        platform.queue(3, "broken", portrait, width, height);
        startLoop(image -> {
            throw new IllegalStateException("CUDA out of memory");
        }, 60);
        await(() -> loop.failedCount() == 1, Duration.ofSeconds(30));
        assertThat(sample(get("/metrics").body(), "glamm_worker_jobs_total{outcome=\"failed\"}")).isEqualTo(1.0);

        platform.close();   // the platform goes away: the next claims fail, health goes DOWN
        await(() -> {
            try {
                return get("/health").statusCode() == 503;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, Duration.ofSeconds(10));
        JsonObject h = JsonParser.parseString(get("/health").body()).getAsJsonObject();
        assertThat(h.get("platformReachable").getAsBoolean()).isFalse();
        assertThat(h.get("lastClaimError").getAsString()).contains("unreachable");
        assertThat(sample(get("/metrics").body(), "glamm_worker_claims_total{result=\"error\"}")).isPositive();

        loop.stop(Duration.ofSeconds(5));
        assertThat(JsonParser.parseString(get("/health").body()).getAsJsonObject().get("claiming").getAsBoolean())
                .isFalse();
    }

    @Test
    void aHandBackOnShutdownIsCountedAsSuch() throws Exception {
        platform.queue(4, "forever", portrait, width, height);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        startLoop(image -> {
            started.countDown();
            never.await(10, TimeUnit.SECONDS);
            return model.predict(image);
        }, 60);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        loop.stop(Duration.ofMillis(300));

        String text = get("/metrics").body();
        assertThat(sample(text, "glamm_worker_jobs_total{outcome=\"handed_back\"}")).isEqualTo(1.0);
        assertThat(sample(text, "glamm_worker_jobs_total{outcome=\"failed\"}")).isZero();
        never.countDown();
    }
}

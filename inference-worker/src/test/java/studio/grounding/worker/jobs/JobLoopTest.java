package studio.grounding.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.grounding.worker.model.DjlOffline;
import studio.grounding.worker.model.GlammModel;

/**
 * The job loop with the REAL tiny GLaMM model against {@link FakePlatform}, a fake of the platform's worker API on
 * 127.0.0.1. The platform is this component's outer edge (a separate process reached over HTTP), so it is the one
 * thing faked here; the HTTP client, the JSON, the image decoding and the model all run for real.
 */
class JobLoopTest {

    private static GlammModel model;
    private static byte[] portrait;
    private static int width;
    private static int height;

    private FakePlatform platform;
    private JobLoop loop;

    @BeforeAll
    static void load() throws Exception {
        DjlOffline.enforce();
        Path dir = Path.of(JobLoopTest.class.getResource("/tiny-glamm/glamm.json").toURI()).getParent();
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
    void platform() throws Exception {
        platform = new FakePlatform();
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(5));
        }
        platform.close();
    }

    private JobLoop loop(Predictor predictor, int leaseSeconds) {
        loop = new JobLoop(new PlatformClient(platform.url(), FakePlatform.TOKEN), List.of(predictor), 2,
                leaseSeconds, "test", Duration.ofMillis(20), Duration.ofMillis(100));
        loop.start();
        return loop;
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
    void claimsFetchesPredictsAndSubmitsTheResultWithTheLeaseToken() throws Exception {
        String lease = platform.queue(1, "abc123", portrait, width, height);
        loop(model::predict, 60);

        await(() -> !platform.calls("result").isEmpty(), Duration.ofSeconds(60));

        FakePlatform.Call claim = platform.calls("claim").getFirst();
        assertThat(claim.body().get("max").getAsInt()).isEqualTo(2);   // one slot free: one batch of WORKER_BATCH 2
        assertThat(claim.body().get("leaseSeconds").getAsInt()).isEqualTo(60);
        assertThat(claim.body().get("instance").getAsString()).isEqualTo("test");
        assertThat(platform.calls("image")).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("GET");
            assertThat(c.path()).isEqualTo("/media/images/abc123");
        });
        assertThat(platform.calls).allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bearer " + FakePlatform.TOKEN));

        FakePlatform.Call result = platform.calls("result").getFirst();
        assertThat(result.path()).isEqualTo("/api/v1/worker/jobs/1/result");
        JsonObject body = result.body();
        assertThat(body.get("leaseToken").getAsString()).isEqualTo(lease);
        assertThat(body.get("caption").getAsString()).isNotBlank();
        JsonArray masks = body.getAsJsonArray("masks");
        JsonArray phrases = body.getAsJsonArray("phrases");
        assertThat(masks).isNotEmpty();
        assertThat(phrases).isNotEmpty();
        for (JsonElement m : masks) {
            JsonArray size = m.getAsJsonObject().getAsJsonArray("size");
            assertThat(List.of(size.get(0).getAsInt(), size.get(1).getAsInt())).containsExactly(height, width);
            assertThat(m.getAsJsonObject().get("counts").getAsString()).isNotEmpty();
        }
        String caption = body.get("caption").getAsString();
        for (JsonElement p : phrases) {
            JsonObject ph = p.getAsJsonObject();
            assertThat(ph.get("text").getAsString()).isNotEmpty();
            if (ph.has("start")) {
                assertThat(caption.substring(ph.get("start").getAsInt(), ph.get("end").getAsInt()))
                        .isEqualTo(ph.get("text").getAsString());
            }
        }
        assertThat(body.getAsJsonObject("timings").keySet()).isNotEmpty();
        assertThat(body.has("scores")).isFalse();   // the model gives none
        assertThat(platform.calls("failure")).isEmpty();
        // the fake records the call before it answers; the loop counts the submission only after the answer
        await(() -> loop.submittedCount() == 1, Duration.ofSeconds(5));
    }

    @Test
    void feedsTheJobsOfOneClaimToTheModelAsOneBatch() throws Exception {
        for (long id = 11; id <= 13; id++) {
            platform.queue(id, "batch" + id, portrait, width, height);
        }
        List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        Predictor batched = new Predictor() {
            @Override
            public studio.grounding.worker.model.GlammPrediction predict(studio.grounding.worker.model.RgbImage i) {
                throw new AssertionError("a batch must not be predicted one at a time");
            }

            @Override
            public List<studio.grounding.worker.model.GlammPrediction> predictBatch(
                    List<studio.grounding.worker.model.RgbImage> images) {
                batchSizes.add(images.size());
                return model.predictBatch(images);
            }
        };
        loop = new JobLoop(new PlatformClient(platform.url(), FakePlatform.TOKEN), List.of(batched), 3, 60, "test",
                Duration.ofMillis(20), Duration.ofMillis(100));
        loop.start();

        await(() -> loop.submittedCount() == 3, Duration.ofSeconds(60));
        assertThat(platform.calls("claim").getFirst().body().get("max").getAsInt()).isEqualTo(3);
        assertThat(batchSizes).containsExactly(3);
        assertThat(platform.calls("result")).extracting(FakePlatform.Call::path).containsExactlyInAnyOrder(
                "/api/v1/worker/jobs/11/result", "/api/v1/worker/jobs/12/result", "/api/v1/worker/jobs/13/result");
        assertThat(platform.calls("result")).allSatisfy(c -> assertThat(c.body().getAsJsonArray("masks")).hasSize(2));
        assertThat(platform.calls("failure")).isEmpty();
    }

    @Test
    void aBadImageInABatchFailsOnlyItsOwnJob() throws Exception {
        platform.queue(21, "good1", portrait, width, height);
        platform.queue(22, "not-an-image", "this is not a PNG".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                width, height);
        platform.queue(23, "good2", portrait, width, height);
        loop = new JobLoop(new PlatformClient(platform.url(), FakePlatform.TOKEN), List.of(Predictor.of(model)), 3, 60,
                "test", Duration.ofMillis(20), Duration.ofMillis(100));
        loop.start();

        await(() -> loop.submittedCount() == 2 && loop.failedCount() == 1, Duration.ofSeconds(60));
        assertThat(platform.calls("failure")).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("/api/v1/worker/jobs/22/failure");
            assertThat(c.body().get("error").getAsString()).contains("not-an-image could not be read");
        });
        assertThat(platform.calls("result")).extracting(FakePlatform.Call::path).containsExactlyInAnyOrder(
                "/api/v1/worker/jobs/21/result", "/api/v1/worker/jobs/23/result");
    }

    @Test
    void whenTheBatchFailsEachImageIsPredictedAloneAndOnlyTheFailingOneFails() throws Exception {
        platform.queue(31, "ok", portrait, width, height);
        platform.queue(32, "poison", portrait, width, height);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Predictor flaky = new Predictor() {
            @Override
            public studio.grounding.worker.model.GlammPrediction predict(studio.grounding.worker.model.RgbImage i) {
                if (calls.incrementAndGet() == 2) {
                    throw new IllegalStateException("poisoned image");
                }
                return model.predict(i);
            }

            @Override
            public List<studio.grounding.worker.model.GlammPrediction> predictBatch(
                    List<studio.grounding.worker.model.RgbImage> images) {
                throw new IllegalStateException("batch failed");
            }
        };
        loop = new JobLoop(new PlatformClient(platform.url(), FakePlatform.TOKEN), List.of(flaky), 2, 60, "test",
                Duration.ofMillis(20), Duration.ofMillis(100));
        loop.start();

        await(() -> loop.submittedCount() == 1 && loop.failedCount() == 1, Duration.ofSeconds(60));
        assertThat(platform.calls("result")).singleElement()
                .satisfies(c -> assertThat(c.path()).isEqualTo("/api/v1/worker/jobs/31/result"));
        assertThat(platform.calls("failure")).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("/api/v1/worker/jobs/32/failure");
            assertThat(c.body().get("error").getAsString()).contains("poisoned image");
        });
    }

    @Test
    void renewsTheLeaseWhileASlowJobRuns() throws Exception {
        String lease = platform.queue(2, "slow", portrait, width, height);
        loop(image -> {
            Thread.sleep(2_600);   // lease of 3 s, renewed every second
            return model.predict(image);
        }, 3);

        await(() -> !platform.calls("result").isEmpty(), Duration.ofSeconds(60));

        List<FakePlatform.Call> renewals = platform.calls("lease");
        assertThat(renewals).hasSizeGreaterThanOrEqualTo(2);
        assertThat(renewals).allSatisfy(c -> {
            assertThat(c.path()).isEqualTo("/api/v1/worker/jobs/2/lease");
            assertThat(c.body().get("leaseToken").getAsString()).isEqualTo(lease);
            assertThat(c.body().get("leaseSeconds").getAsInt()).isEqualTo(3);
        });
        assertThat(platform.calls.indexOf(renewals.getLast()))
                .isLessThan(platform.calls.indexOf(platform.calls("result").getFirst()));
        int after = platform.calls("lease").size();
        Thread.sleep(1_500);
        assertThat(platform.calls("lease")).hasSize(after);   // renewal stops with the job
    }

    @Test
    void dropsTheJobOn409AndGoesOn() throws Exception {
        platform.statusFor.put("result", 409);
        platform.queue(3, "lost", portrait, width, height);
        loop(model::predict, 60);

        await(() -> loop.droppedCount() == 1, Duration.ofSeconds(60));
        int claims = platform.calls("claim").size();
        await(() -> platform.calls("claim").size() > claims, Duration.ofSeconds(5));   // still claiming

        assertThat(platform.calls("result")).hasSize(1);   // no retry of a lost job
        assertThat(platform.calls("failure")).isEmpty();
        assertThat(loop.submittedCount()).isZero();
    }

    @Test
    void dropsTheJobWhenARenewalAnswers409() throws Exception {
        platform.statusFor.put("lease", 409);
        platform.queue(4, "lost-while-running", portrait, width, height);
        loop(image -> {
            Thread.sleep(1_800);
            return model.predict(image);
        }, 3);

        await(() -> loop.droppedCount() == 1, Duration.ofSeconds(30));
        Thread.sleep(2_500);   // the prediction finishes meanwhile

        assertThat(platform.calls("lease")).hasSize(1);   // no more renewals after a 409
        assertThat(platform.calls("result")).isEmpty();
        assertThat(platform.calls("failure")).isEmpty();
    }

    @Test
    void reportsAModelFailure() throws Exception {
        String lease = platform.queue(5, "broken", portrait, width, height);
        loop(image -> {
            throw new IllegalStateException("CUDA out of memory");
        }, 60);

        await(() -> !platform.calls("failure").isEmpty(), Duration.ofSeconds(30));

        FakePlatform.Call failure = platform.calls("failure").getFirst();
        assertThat(failure.path()).isEqualTo("/api/v1/worker/jobs/5/failure");
        assertThat(failure.body().get("leaseToken").getAsString()).isEqualTo(lease);
        assertThat(failure.body().get("error").getAsString()).contains("CUDA out of memory");
        assertThat(platform.calls("result")).isEmpty();
    }

    @Test
    void stopHandsBackAnUnfinishedJob() throws Exception {
        String lease = platform.queue(6, "forever", portrait, width, height);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop(image -> {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);   // deaf to interrupts, like a native forward pass
            return model.predict(image);
        }, 60);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        boolean clean = loop.stop(Duration.ofMillis(500));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        int claims = platform.calls("claim").size();

        assertThat(clean).isFalse();
        assertThat(tookMs).isBetween(400L, 5_000L);
        // released, not failed: the platform re-queues it without counting the attempt
        FakePlatform.Call handBack = platform.calls("release").getFirst();
        assertThat(handBack.path()).isEqualTo("/api/v1/worker/jobs/6/release");
        assertThat(handBack.body().get("leaseToken").getAsString()).isEqualTo(lease);
        assertThat(handBack.body().get("reason").getAsString()).isEqualTo(JobLoop.SHUTDOWN_ERROR);
        assertThat(platform.calls("failure")).isEmpty();
        assertThat(loop.handedBackCount()).isEqualTo(1);

        release.countDown();
        Thread.sleep(1_000);
        assertThat(platform.calls("result")).isEmpty();   // the late prediction is discarded
        assertThat(platform.calls("release")).hasSize(1);
        assertThat(platform.calls("failure")).isEmpty();
        assertThat(platform.calls("claim")).hasSize(claims);   // no claims after stop
    }

    @Test
    void stopWaitsForARunningJobWithinTheGracePeriod() throws Exception {
        platform.queue(7, "quick", portrait, width, height);
        CountDownLatch started = new CountDownLatch(1);
        loop(image -> {
            started.countDown();
            Thread.sleep(500);
            return model.predict(image);
        }, 60);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(loop.stop(Duration.ofSeconds(30))).isTrue();

        assertThat(platform.calls("result")).hasSize(1);
        assertThat(platform.calls("failure")).isEmpty();
    }

    @Test
    void idlesWithBackoffOnAnEmptyQueue() throws Exception {
        loop(model::predict, 60);
        Thread.sleep(1_000);
        // backoff 20, 40, 80, 100, 100 ... ms: about 12 claims a second, not hundreds
        assertThat(platform.calls("claim").size()).isBetween(3, 20);
    }

    @Test
    void aWrongTokenIsAClearError() {
        PlatformClient client = new PlatformClient(platform.url(), "gs_wrong");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.claim(1, 60, null))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.isAuthProblem()).isTrue();
                    assertThat(e.getMessage()).contains("401").doesNotContain("gs_wrong");
                });
    }
}

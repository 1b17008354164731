package studio.grounding.worker.jobs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.grounding.worker.model.GlammPrediction;
import studio.grounding.worker.model.InteractiveSegmenter;
import studio.grounding.worker.model.MaskRle;
import studio.grounding.worker.model.RgbImage;

/**
 * Serves interactive requests (ADR 0020) on its own thread, beside the pre-fill {@link JobLoop}, so they never wait
 * behind a batch: long-polls {@code /api/v1/worker/interactive/claim} for its model, answers SEGMENT requests with
 * the {@link InteractiveSegmenter} (masks best first, with SAM's predicted IoU) and reports the other kinds, and any
 * prompt the segmenter refuses, as a failure (the editor sees the reason as a 502). The image is fetched only when
 * its embedding is not cached. Platform errors back off from 1 s doubling to 30 s.
 */
public final class InteractiveLoop {

    private static final Logger log = LoggerFactory.getLogger(InteractiveLoop.class);

    private final PlatformClient platform;
    private final InteractiveSegmenter segmenter;
    private final String model;
    private final Duration wait;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    public InteractiveLoop(PlatformClient platform, InteractiveSegmenter segmenter, String model, Duration wait) {
        this.platform = platform;
        this.segmenter = segmenter;
        this.model = model;
        this.wait = wait;
    }

    public synchronized Thread start() {
        thread = Thread.ofPlatform().name("interactive").daemon(true).start(this::run);
        return thread;
    }

    /** Stops polling (a claim in flight ends within its wait). */
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    public long answeredCount() {
        return answered.get();
    }

    public long failedCount() {
        return failed.get();
    }

    private void run() {
        long backoff = 1000;
        log.info("serving interactive requests for model {}", model);
        while (running) {
            try {
                Optional<JsonObject> request = platform.claimInteractive(model, (int) wait.toSeconds());
                backoff = 1000;
                request.ifPresent(this::serve);
            } catch (PlatformException e) {
                if (!running) {
                    break;
                }
                log.warn("interactive claim failed ({}); retrying in {} ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    private void serve(JsonObject r) {
        String id = r.get("requestId").getAsString();
        String kind = r.get("kind").getAsString();
        try {
            if (!"SEGMENT".equals(kind)) {
                throw new IllegalArgumentException(kind + " is not served by this worker yet (only SEGMENT)");
            }
            JsonObject image = r.getAsJsonObject("image");
            String hash = image.get("contentHash").getAsString();
            int w = image.get("width").getAsInt();
            int h = image.get("height").getAsInt();
            InteractiveSegmenter.Result res = segmenter.segment(hash, () -> fetch(hash), prompt(r, w, h));
            List<GlammPrediction.Mask> masks = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            masks.add(res.bestMask());
            scores.add((double) res.scores()[res.best()]);
            for (int k = 0; k < res.masks().size(); k++) {
                if (k != res.best()) {
                    masks.add(res.masks().get(k));
                    scores.add((double) res.scores()[k]);
                }
            }
            platform.answerInteractive(id, masks, scores);
            answered.incrementAndGet();
            log.debug("request {}: embedding {} ({} ms), decode {} ms", id, res.embeddingCached() ? "cached"
                    : "computed", res.embeddingMillis(), res.decodeMillis());
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            failed.incrementAndGet();
            log.warn("interactive request {} ({}) failed: {}", id, kind, e.getMessage());
            try {
                platform.failInteractive(id, e.getMessage());
            } catch (PlatformException pe) {
                log.warn("could not report the failure of {}: {}", id, pe.getMessage());
            }
        } catch (PlatformException e) {
            failed.incrementAndGet();
            log.warn("interactive request {}: {}", id, e.getMessage());
        }
    }

    private RgbImage fetch(String hash) {
        try {
            return RgbImage.read(new ByteArrayInputStream(platform.fetchImage(hash)), hash);
        } catch (IOException e) {
            throw new UncheckedIOException("image " + hash + " is not readable: " + e.getMessage(), e);
        }
    }

    static InteractiveSegmenter.Prompt prompt(JsonObject r, int width, int height) {
        List<InteractiveSegmenter.Point> points = new ArrayList<>();
        if (r.has("points") && r.get("points").isJsonArray()) {
            for (JsonElement e : r.getAsJsonArray("points")) {
                JsonObject p = e.getAsJsonObject();
                points.add(new InteractiveSegmenter.Point(p.get("x").getAsDouble(), p.get("y").getAsDouble(),
                        !p.has("positive") || p.get("positive").getAsBoolean()));
            }
        }
        InteractiveSegmenter.Box box = null;
        if (r.has("box") && r.get("box").isJsonArray()) {
            JsonArray b = r.getAsJsonArray("box");
            box = new InteractiveSegmenter.Box(b.get(0).getAsDouble(), b.get(1).getAsDouble(), b.get(2).getAsDouble(),
                    b.get(3).getAsDouble());
        }
        byte[] previous = null;
        if (r.has("maskCounts") && !r.get("maskCounts").isJsonNull()) {
            previous = MaskRle.decode(r.get("maskCounts").getAsString(), (long) width * height);
        }
        return new InteractiveSegmenter.Prompt(points, box, previous);
    }
}

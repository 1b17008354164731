package studio.grounding.worker.model;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Images per second of {@link GlammModel#predictBatch} at batch sizes 1, 4, 8, 16 with the tiny model on the CPU (not
 * a test: surefire's default includes skip it; nothing is asserted). {@code ./studio bench worker-batch [IMAGES]}
 * runs it ({@code -Dbench.images=N}, default 64 images per batch size, after one warm-up pass per size; best of
 * {@code -Dbench.rounds=3}). Prints a Markdown table and writes {@code target/benchmarks/worker-batch.md}.
 */
class TinyGlammBatchBenchmark {

    @Test
    void run() throws Exception {
        DjlOffline.enforce();
        int total = Integer.getInteger("bench.images", 64);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int[] sizes = {1, 4, 8, 16};
        List<RgbImage> pool = new ArrayList<>();
        for (String name : List.of("landscape", "portrait")) {
            RgbImage img = RgbImage.read(TinyGlamm.reference(name + ".png"));
            pool.add(img);
            pool.add(GlammModelBatchTest.mirrored(img));
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format("%d images per batch size (4 distinct images of 400x300 / 250x350, 17 tokens and 2 "
                + "masks each), best of %d rounds, tiny model, CPU%n%n", total, rounds));
        md.append("| batch | images/s | ratio to B=1 | ms per image | language model ms per image "
                + "(prefill + decode) |\n|---:|---:|---:|---:|---:|\n");
        try (GlammModel model = GlammModel.load(TinyGlamm.dir(), Device.cpu())) {
            double base = 0;
            for (int b : sizes) {
                List<RgbImage> batch = new ArrayList<>();
                for (int i = 0; i < b; i++) {
                    batch.add(pool.get(i % pool.size()));
                }
                model.predictBatch(batch);                 // warm-up at this shape
                double best = Double.MAX_VALUE;
                double lmBest = 0;
                for (int r = 0; r < rounds; r++) {
                    double lm = 0;
                    long t0 = System.nanoTime();
                    for (int done = 0; done < total; done += b) {
                        List<GlammPrediction> out = model.predictBatch(batch);
                        GlammPrediction first = out.getFirst();
                        lm += (first.timingsMillis().getOrDefault("prefill", 0.0)
                                + first.timingsMillis().getOrDefault("decode_steps", 0.0)) * b;
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    if (secs < best) {
                        best = secs;
                        lmBest = lm / total;
                    }
                }
                double ips = total / best;
                if (b == 1) {
                    base = ips;
                }
                md.append(String.format("| %d | %.2f | %.2f | %.1f | %.1f |%n", b, ips, ips / base,
                        1000 * best / total, lmBest));
            }
        }
        System.out.println(md);
        Path out = Path.of("target", "benchmarks", "worker-batch.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }
}

package studio.grounding.worker.model;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-stage timing harness for the tiny model (not a test: surefire's default includes skip it; nothing is
 * asserted). Run it with
 * {@code mvn -B -q -pl inference-worker test -Dtest=TinyGlammBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.runs=N}, default 20). Prints a Markdown table and writes it to
 * {@code target/benchmarks/tiny-glamm.md}.
 */
class TinyGlammBenchmark {

    @Test
    void run() throws Exception {
        DjlOffline.enforce();
        int runs = Integer.getInteger("bench.runs", 20);
        long l0 = System.nanoTime();
        GlammModel model = GlammModel.load(TinyGlamm.dir(), Device.cpu());
        double loadMs = (System.nanoTime() - l0) / 1e6;
        StringBuilder md = new StringBuilder();
        md.append(String.format("model load (5 TorchScript parts + tokenizer): %.0f ms%n%n", loadMs));
        try (model) {
            for (String name : List.of("landscape", "portrait")) {
                RgbImage img = RgbImage.read(TinyGlamm.reference(name + ".png"));
                for (int i = 0; i < 3; i++) {
                    model.predict(img);                 // warm-up: TorchScript profiling executor, JIT
                }
                Map<String, List<Double>> samples = new LinkedHashMap<>();
                GlammPrediction last = null;
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    last = model.predict(img);
                    double total = (System.nanoTime() - t0) / 1e6;
                    last.timingsMillis().forEach((k, v) -> samples.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    samples.computeIfAbsent("TOTAL (predict)", x -> new ArrayList<>()).add(total);
                }
                md.append(String.format("### %s %dx%d, %d generated tokens, %d masks, %d runs%n%n", name,
                        img.width(), img.height(), last.generatedTokens(), last.masks().size(), runs));
                md.append("| stage | median ms | min ms |\n|---|---:|---:|\n");
                samples.forEach((k, v) -> {
                    List<Double> s = v.stream().sorted().toList();
                    md.append(String.format("| %s | %.2f | %.2f |%n", k, s.get(s.size() / 2), s.get(0)));
                });
                md.append('\n');
                System.out.println("areas " + name + ": " + last.masks().stream().map(GlammPrediction.Mask::area)
                        .toList() + " caption=" + last.caption());
            }
        }
        System.out.println(md);
        Path out = Path.of("target", "benchmarks", "tiny-glamm.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }
}

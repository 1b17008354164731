package studio.grounding.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import studio.grounding.GroundingStudioApplication;
import studio.grounding.dataset.Split;
import studio.grounding.interchange.ExportReport;
import studio.grounding.interchange.ExportRequest;
import studio.grounding.interchange.ExportService;
import studio.grounding.interchange.ImportFormat;
import studio.grounding.interchange.ImportProgress;
import studio.grounding.interchange.ImportReport;
import studio.grounding.interchange.ImportRequest;
import studio.grounding.interchange.ImportService;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;
import studio.grounding.mask.Rle;

/**
 * Import and export throughput on a generated GranD_f-like file: {@code records} records of ~5 masks each at
 * 1500×2250 (random star polygons rasterised with the platform's own frPoly), into a fresh embedded
 * PostgreSQL; every record has its own, distinct 2250×1500 PNG ({@link DistinctPngs}). Reports the generation
 * time apart, then records/s, masks/s and the peak heap in use ({@link HeapSampler}).
 * Run with {@code ./studio bench interchange} (docs/benchmarks.md); not part of the test suite.
 */
public final class InterchangeBenchmark {

    private static final int H = 1500;
    private static final int W = 2250;

    private InterchangeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path work = Path.of(args.length > 1 ? args[1] : "target/bench-interchange").toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        Path images = work.resolve("images");
        Path annotations = work.resolve("grandf-" + records + ".json");
        long g0 = System.nanoTime();
        long generatedMasks = generate(records, annotations, images);
        long g1 = System.nanoTime();
        System.out.printf("import batch: %s records per transaction (-Dbench.import.batch)%n",
                System.getProperty("bench.import.batch", "25"));
        System.out.printf("generated %,d records, %,d masks, %,d MB of JSON, %,d distinct PNG files (%,d MB) in %.1f s"
                + " (not part of any figure below)%n", records, generatedMasks, Files.size(annotations) >> 20, records,
                directorySize(images) >> 20, (g1 - g0) / 1e9);
        checkImage(images.resolve(imageName(0)));

        HeapSampler heap = new HeapSampler();
        heap.start();
        SpringApplication app = new SpringApplication(GroundingStudioApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        // command-line arguments: they win over application.properties (default properties would not)
        try (ConfigurableApplicationContext context = app.run(arguments(
                "studio.data-dir", work.resolve("data").toString(),
                "studio.embedded-database.clean", "true", "studio.demo.enabled", "false",
                "logging.level.root", "WARN",
                "studio.import.batch", System.getProperty("bench.import.batch", "25")))) {
            ImportService imports = context.getBean(ImportService.class);
            ExportService exports = context.getBean(ExportService.class);
            ImportRequest request = new ImportRequest("bench", ImportFormat.GRANDF, annotations, null, images, null,
                    Split.TRAIN, "bench");

            ImportReport first = imports.run(request, ImportProgress.NONE);
            line("import (new)", first.read(), first.masks(), first.elapsed());
            ImportReport again = imports.run(request, ImportProgress.NONE);
            line("import again (unchanged)", again.read(), 0, again.elapsed());
            if (first.failed() > 0 || again.unchanged() != records) {
                throw new IllegalStateException("benchmark import went wrong: " + first + " / " + again);
            }
            for (int round = 0; round < 2; round++) {
                try (OutputStream out = Files.newOutputStream(work.resolve("export.json"))) {
                    ExportReport report = exports.exportGrandf(ExportRequest.all("bench"), out);
                    line("export grandf (round " + (round + 1) + ")", report.records(), report.masks(), report.elapsed());
                }
                try (OutputStream out = Files.newOutputStream(work.resolve("export.jsonl"))) {
                    ExportReport report = exports.exportJsonl(ExportRequest.all("bench"), out);
                    line("export jsonl (round " + (round + 1) + ")", report.records(), report.masks(), report.elapsed());
                }
            }
        } finally {
            heap.stop();
        }
        System.out.printf("peak heap in use: %,d MB (highest before any of %,d collections, or sampled), %,d MB sampled"
                + " every 20 ms; max heap (-Xmx) %,d MB%n", heap.peakBytes() >> 20, heap.collections.get(),
                heap.sampledPeak.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void line(String what, long records, long masks, Duration elapsed) {
        double s = elapsed.toNanos() / 1e9;
        System.out.printf("| %s | %,d | %.1f s | %,.0f records/s | %,.0f masks/s |%n", what, records, s, records / s,
                masks / s);
    }

    static String imageName(int i) {
        return "sa_" + (1_000_000 + i) + ".png";
    }

    /** Writes the annotation file (streaming) and one distinct PNG file per record ({@link DistinctPngs}). */
    static long generate(int records, Path annotations, Path images) throws IOException {
        Files.createDirectories(images);
        DistinctPngs pngs = new DistinctPngs(W, H);
        XorShift rng = new XorShift(0x9E3779B97F4A7C15L);
        long masks = 0;
        try (OutputStream out = Files.newOutputStream(annotations);
             JsonGenerator g = JsonMapper.builder().build().createGenerator(out)) {
            g.writeStartArray();
            for (int i = 0; i < records; i++) {
                String file = imageName(i);
                Files.write(images.resolve(file), pngs.png(i));
                String[] phrases = {"A man", "a horse", "a wooden fence"};
                String caption = "A man rides a horse near a wooden fence in record " + i + ".";
                int[][] spans = {{0, 5}, {12, 19}, {25, 39}};
                g.writeStartObject();
                g.writeStringProperty("image_id", file.substring(0, file.length() - 4));
                g.writeStringProperty("file_name", file);
                g.writeNumberProperty("height", H);
                g.writeNumberProperty("width", W);
                g.writeStringProperty("caption", caption);
                g.writeObjectPropertyStart("groundings");
                int instances = 5;
                for (int p = 0; p < phrases.length; p++) {
                    g.writeObjectPropertyStart(phrases[p]);
                    g.writeArrayPropertyStart("token_positives");
                    g.writeNumber(spans[p][0]);
                    g.writeNumber(spans[p][1]);
                    g.writeEndArray();
                    g.writeArrayPropertyStart("rle_masks");
                    int n = p == 0 ? 2 : p == 1 ? 2 : 1;   // 5 masks per record
                    for (int k = 0; k < n && instances > 0; k++, instances--) {
                        Rle rle = Rle.fromPolygon(star(rng), H, W);
                        g.writeStartObject();
                        g.writeArrayPropertyStart("size");
                        g.writeNumber(H);
                        g.writeNumber(W);
                        g.writeEndArray();
                        g.writeStringProperty("counts", rle.toCompressedString());
                        g.writeEndObject();
                        masks++;
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return masks;
    }

    /** The generated PNGs are real images: ImageIO decodes one to the record's size. */
    private static void checkImage(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null || img.getWidth() != W || img.getHeight() != H
                || (img.getRaster().getSample(100, 450, 0) & 0xff) != 96) {
            throw new IllegalStateException("generated image " + file + " does not decode as expected");
        }
    }

    private static long directorySize(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** A star-shaped polygon of 12-40 vertices, radius 40-450 px, somewhere in the image. */
    private static double[] star(XorShift rng) {
        double cx = rng.uni(0, W);
        double cy = rng.uni(0, H);
        double r = rng.uni(40, 450);
        int k = 12 + (int) (rng.next() >>> 60) * 2;
        double[] xy = new double[2 * k];
        for (int i = 0; i < k; i++) {
            double angle = 2 * Math.PI * i / k;
            double radius = r * rng.uni(0.55, 1.0);
            xy[2 * i] = cx + radius * Math.cos(angle);
            xy[2 * i + 1] = cy + radius * Math.sin(angle);
        }
        return xy;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * The heap in use at its highest. Heap use only grows between collections, so its maximum is reached just before
     * one: the listener takes, for every collection, the heap in use before it (all heap pools), and the last
     * sample covers the time after the last collection. A 20 ms sampler is kept as a cross-check; it can only
     * be lower. Started after the file generation, so the figure is the platform's (start-up, import, export).
     */
    static final class HeapSampler {
        final AtomicLong sampledPeak = new AtomicLong();
        final AtomicLong beforeGcPeak = new AtomicLong();
        final AtomicLong collections = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread = Thread.ofPlatform().daemon().unstarted(() -> {
            Runtime rt = Runtime.getRuntime();
            while (running) {
                sampledPeak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        private final java.util.Set<String> heapPools = new java.util.HashSet<>();

        void start() {
            ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .forEach(p -> heapPools.add(p.getName()));
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                    if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                            .equals(n.getType())) {
                        return;
                    }
                    var info = com.sun.management.GarbageCollectionNotificationInfo
                            .from((javax.management.openmbean.CompositeData) n.getUserData());
                    long before = info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
                            .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                    beforeGcPeak.accumulateAndGet(before, Math::max);
                    collections.incrementAndGet();
                }, null, null);
            }
            thread.start();
        }

        void stop() {
            running = false;
            Runtime rt = Runtime.getRuntime();
            sampledPeak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
        }

        /** The highest heap in use: before any collection, or now. */
        long peakBytes() {
            return Math.max(beforeGcPeak.get(), sampledPeak.get());
        }
    }

    /** Marsaglia xorshift64 (13, 7, 17), as in the RLE anchor workload. */
    static final class XorShift {
        private long x;

        XorShift(long seed) {
            this.x = seed;
        }

        long next() {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            return x;
        }

        double uni(double a, double b) {
            return a + (b - a) * ((next() >>> 11) * 0x1.0p-53);
        }
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

package studio.grounding.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersion;
import studio.grounding.prefill.PrefillService;

/** What both pre-fill queue harnesses set up: a dataset of {@code jobs} queued items, box masks, a clean folder. */
final class PrefillBenchData {

    static final int H = 480;
    static final int W = 640;

    private PrefillBenchData() {
    }

    /** A fresh dataset of {@code jobs} 640×480 items, each with one pre-fill job of {@code model} queued. */
    static DatasetSummary queuedDataset(DatasetService datasets, PrefillService prefill, JdbcClient jdbc,
                                        ModelVersion model, int jobs, String name) throws Exception {
        DatasetSummary ds = datasets.getOrCreate(name + "-" + System.nanoTime(), "bench");
        for (int i = 0; i < jobs; i++) {
            StoredImage stored = new StoredImage(sha256(ds.name() + i), 50_000, "image/jpeg", W, H);
            datasets.ensureItem(datasets.addImage(ds.id(), "img-" + i + ".jpg", stored, "bench", Split.TRAIN));
        }
        if (prefill.queue(ds.id(), model.id(), null, "bench", 0).queued() != jobs) {
            throw new IllegalStateException("not every job was queued");
        }
        jdbc.sql("vacuum analyze prefill_jobs").update();
        return ds;
    }

    /** The compressed RLE counts of a w×h box at (x, y) in a 640×480 image. */
    static String boxCounts(int x, int y, int w, int h) {
        byte[] bitmap = new byte[H * W];
        for (int cx = x; cx < x + w; cx++) {
            for (int cy = y; cy < y + h; cy++) {
                bitmap[cx * H + cy] = 1;
            }
        }
        return Rle.encode(bitmap, H, W).toCompressedString();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}

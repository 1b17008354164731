package studio.grounding.web.ui;

import static studio.grounding.web.ui.EditorPage.EDITOR;
import static studio.grounding.web.ui.EditorPage.client;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;

/**
 * The editor's browser-timed benchmark (issue 3): headless Chromium against the application with its production
 * bundle, a 2250×1500 photo from {@code ../shared/samples/glamm-demo-images} and a second one for the
 * next item (never shipped: read from the samples folder at run time; {@code -Dstudio.bench.image=...} and
 * {@code -Dstudio.bench.image2=NAME} choose others) and 50 masks (25 phrases × 2
 * instances, seeded random ellipses). Measures
 * <ul>
 *   <li>open: a full load of the editor page until every mask is drawn (navigation start → the canvas's
 *       {@code mask-canvas-editor:open-end} mark), and the in-app move to the next item (D) until its masks are
 *       drawn;</li>
 *   <li>brush stroke frame time: the canvas's own per-frame draw time during mouse strokes;</li>
 *   <li>draft save round trip: the browser's {@code $server.saveDraft(json)} call of the 50-mask document until the
 *       server's answer is back (Flow round trip, validation, PostgreSQL upsert).</li>
 * </ul>
 * Not a test: no assertion on time. Run with {@code ./studio bench editor}; prints a table and writes it to
 * {@code frontend/target/benchmarks/editor.md}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class EditorBrowserBenchmark {

    private static final int PHRASES = 25;
    private static final int MASKS_PER_PHRASE = 2;
    private static final int OPENS = Integer.getInteger("studio.bench.opens", 30);
    private static final int STROKES = Integer.getInteger("studio.bench.strokes", 8);
    private static final int SAVES = Integer.getInteger("studio.bench.saves", 40);

    @LocalServerPort
    int port;
    @Autowired
    DatasetService datasets;
    @Autowired
    ImageStore images;
    @Autowired
    RevisionService revisions;

    @Test
    void measure() throws IOException {
        if (!Files.isExecutable(Chromium.EXECUTABLE)) {
            throw new IllegalStateException("no Chromium at " + Chromium.EXECUTABLE + " (apt-get install chromium)");
        }
        Path image = benchImage();
        // two different photos, so that moving to the next item loads a new image as an annotator's would
        List<ItemInfo> items = seed(List.of(image, image.resolveSibling(System.getProperty("studio.bench.image2",
                "japan.jpg"))));
        String base = "http://127.0.0.1:" + port;
        StringBuilder report = new StringBuilder();
        try (Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1600, 900));
            page.setDefaultTimeout(60_000);
            Chromium.signIn(page, base, "admin", "admin-test-password");
            String url = base + "/items/" + items.getFirst().id() + "/edit";

            // warm-up: bundle and image cached, JIT warm, as for an annotator working through a queue
            for (int i = 0; i < 3; i++) {
                openFull(page, url);
            }
            double[] full = new double[OPENS];
            for (int i = 0; i < OPENS; i++) {
                full[i] = openFull(page, url);
            }
            double[] component = new double[OPENS];
            double[] next = new double[OPENS];
            openFull(page, url);
            for (int i = 0; i < OPENS; i++) {
                next[i] = openNext(page);
                component[i] = ((Number) page.evaluate("() => window.__studioPerf.openMs")).doubleValue();
            }

            openFull(page, url);
            double[] frames = brushFrames(page);
            double[] saves = draftSaves(page);
            String machine = System.getProperty("os.name") + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores, headless " + browser.version();
            report.append("Editor benchmark ").append(LocalDate.now()).append(", ").append(machine)
                    .append(", photos ").append(image.getFileName()).append(" and the next item's, 2250×1500, ")
                    .append(PHRASES * MASKS_PER_PHRASE).append(" masks\n\n")
                    .append("| measure | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|\n")
                    .append(row("open, full page load → all masks drawn", full))
                    .append(row("open, next item (D) → all masks drawn", next))
                    .append(row("open, component: document set → all masks drawn", component))
                    .append(row("brush stroke frame (draw time per frame)", frames))
                    .append(row("draft save round trip (50-mask document)", saves));
        }
        System.out.println(report);
        Path out = Path.of("target", "benchmarks", "editor.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }


    /** Loads the editor page; ms from navigation start until the canvas marked every mask drawn. */
    private static double openFull(Page page, String url) {
        page.navigate(url);
        page.waitForFunction("() => performance.getEntriesByName('mask-canvas-editor:open-end').length > 0");
        return ((Number) page.evaluate(
                "() => performance.getEntriesByName('mask-canvas-editor:open-end')[0].startTime")).doubleValue();
    }

    /**
     * The next item of the user's queue (D); ms from the key press until that item's masks are drawn. With two
     * items the queue alternates: the item left is no longer held, so the other one comes next.
     */
    private static double openNext(Page page) {
        String before = page.url();
        page.evaluate("() => { performance.clearMarks('mask-canvas-editor:open-end');"
                + " window.__benchStart = performance.now(); }");
        page.locator("body").press("d");
        page.waitForURL(u -> !u.equals(before));
        page.waitForFunction("() => performance.getEntriesByName('mask-canvas-editor:open-end').length > 0");
        return ((Number) page.evaluate("() => performance.getEntriesByName('mask-canvas-editor:open-end')[0]"
                + ".startTime - window.__benchStart")).doubleValue();
    }

    private double[] brushFrames(Page page) {
        page.locator("grounding-editor li.phrase-row[data-phrase='0'] .phrase-text").click();
        page.keyboard().press("b");
        page.evaluate("() => { window.__studioPerf.frames = []; }");
        Random random = new Random(7);
        for (int s = 0; s < STROKES; s++) {
            int x0 = 200 + random.nextInt(1800);
            int y0 = 150 + random.nextInt(1200);
            double[] a = client(page, x0, y0);
            page.mouse().move(a[0], a[1]);
            page.mouse().down();
            for (int i = 1; i <= 60; i++) {
                double[] b = client(page, x0 + i * 4, y0 + (int) (80 * Math.sin(i / 8.0)));
                page.mouse().move(b[0], b[1]);
            }
            page.mouse().up();
        }
        page.waitForTimeout(200);
        List<?> frames = (List<?>) page.evaluate("() => window.__studioPerf.frames");
        return frames.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static double[] draftSaves(Page page) {
        List<?> times = (List<?>) page.evaluate("async (n) => { const ed = " + EDITOR + ";"
                + " const json = ed.documentJson(); const out = [];"
                + " for (let i = 0; i < n; i++) { const t0 = performance.now();"
                + " const r = JSON.parse(await ed.$server.saveDraft(json));"
                + " if (!r.ok) throw new Error('draft not saved: ' + r.message);"
                + " out.push(performance.now() - t0); } return out; }", SAVES);
        return times.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static String row(String what, double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", what, v.length,
                percentile(v, 50), percentile(v, 95), v.length == 0 ? Double.NaN : v[v.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static Path benchImage() {
        String chosen = System.getProperty("studio.bench.image");
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen);
        }
        // failsafe runs in frontend/: the samples sit beside the repository
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path image = repo.resolveSibling("shared").resolve("samples/glamm-demo-images/balloon.jpg");
        if (!Files.isReadable(image)) {
            throw new IllegalStateException("benchmark photo not found: " + image
                    + " (pass -Dstudio.bench.image=/path/to/a/2250x1500.jpg)");
        }
        return image;
    }

    /** An item per photo, each with 25 phrases × 2 seeded elliptic masks. */
    private List<ItemInfo> seed(List<Path> photos) throws IOException {
        DatasetSummary dataset = datasets.create("editor benchmark", "benchmark", "admin");
        List<ItemInfo> items = new ArrayList<>();
        for (int n = 0; n < photos.size(); n++) {
            Path photo = photos.get(n);
            StoredImage stored;
            try (InputStream in = Files.newInputStream(photo)) {
                stored = images.store(in, photo.getFileName().toString());
            }
            ImageInfo image = datasets.addImage(dataset.id(), "photo-" + n + ".jpg", stored, "benchmark", Split.VAL);
            ItemInfo item = datasets.ensureItem(image);
            int h = image.height();
            int w = image.width();
            Random random = new Random(42 + n);
            StringBuilder caption = new StringBuilder("A photo with");
            List<PhraseSpan> phrases = new ArrayList<>();
            for (int p = 0; p < PHRASES; p++) {
                caption.append(p == 0 ? " " : p == PHRASES - 1 ? " and " : ", ");
                String text = "object number " + (p + 1);
                int start = caption.length();
                caption.append(text);
                List<MaskRle> masks = new ArrayList<>();
                for (int m = 0; m < MASKS_PER_PHRASE; m++) {
                    masks.add(new MaskRle(h, w, ellipse(random, h, w).toCompressedString()));
                }
                phrases.add(new PhraseSpan(start, start + text.length(), text, masks));
            }
            caption.append('.');
            revisions.append(new NewRevision(item.id(), null, new GroundedCaption(caption.toString(), phrases,
                    List.of()), Origin.IMPORT, "benchmark", null, "EditorBrowserBenchmark", List.of(), null, h, w));
            items.add(item);
        }
        return items;
    }

    private static Rle ellipse(Random random, int h, int w) {
        double rx = 40 + random.nextInt(220);
        double ry = 40 + random.nextInt(220);
        double cx = rx + random.nextDouble() * (w - 2 * rx);
        double cy = ry + random.nextDouble() * (h - 2 * ry);
        int points = 48;
        double[] xy = new double[points * 2];
        for (int i = 0; i < points; i++) {
            double t = 2 * Math.PI * i / points;
            xy[2 * i] = cx + rx * Math.cos(t) * (0.8 + 0.2 * Math.sin(3 * t));
            xy[2 * i + 1] = cy + ry * Math.sin(t);
        }
        return Rle.fromPolygon(xy, h, w);
    }
}

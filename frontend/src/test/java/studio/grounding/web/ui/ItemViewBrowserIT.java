package studio.grounding.web.ui;

import static studio.grounding.web.ui.Chromium.SCREENSHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.LoadState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The item view in real Chromium: a demo photo (CC0, {@code demo/astronaut.png}) with hand-traced polygon masks,
 * GLaMM-style (the last phrase lost its mask, which is left over unlinked). Checks that {@code <mask-canvas>} decoded
 * the RLE strings in the browser and painted them (pixels read back from the canvas), and that a click on a mask
 * selects its phrase. Screenshot: {@code target/screenshots/item-view.png}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ItemViewBrowserIT {

    /** The first phrase's colour in the item view's palette. */
    private static final int[] FIRST_COLOR = {0xe6, 0x19, 0x4b};

    @LocalServerPort
    int port;
    @Autowired
    DatasetService datasets;
    @Autowired
    ImageStore images;
    @Autowired
    RevisionService revisions;

    @BeforeAll
    static void needsChromium() {
        Chromium.assumeInstalled();
    }

    @Test
    void theCanvasPaintsTheMasksDecodedInTheBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Seeded seeded = seed();
        String base = "http://127.0.0.1:" + port;

        try (Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1440, 860));
            page.setDefaultTimeout(30_000);
            try {
                walkThrough(page, base, seeded);
            } catch (RuntimeException | AssertionError e) {
                page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("item-view-failure.png")));
                throw e;
            }
        }
    }

    private void walkThrough(Page page, String base, Seeded seeded) {
        Chromium.signIn(page, base, "admin", "admin-test-password");

        // from the dataset's items to the item
        page.navigate(base + "/datasets/" + java.net.URLEncoder.encode(seeded.dataset().name(),
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        page.locator("vaadin-grid#items").getByText("astronaut.png").waitFor();
        page.locator("vaadin-grid#items a.item-open-link").first().click();
        page.waitForURL("**/items/" + seeded.item().id());

        page.locator("#caption").getByText("A woman in an orange spacesuit").waitFor();
        assertThat(page.locator("#phrases-without-masks").innerText()).contains("her helmet");
        assertThat(page.locator("#masks-without-phrases").innerText()).contains("Mask 1 (512 × 512)");

        // the browser's RLE decoder agrees with the Java codec on every mask's area
        Object browserAreas = page.evaluate("() => document.querySelector('mask-canvas').maskAreas()");
        assertThat(((List<?>) browserAreas).stream().map(v -> ((Number) v).longValue()).toList())
                .isEqualTo(seeded.areas());

        // wait until the photo is drawn: the canvas is not blank in its middle
        page.waitForFunction("() => { const el = document.querySelector('mask-canvas');"
                + " const c = el && el.shadowRoot && el.shadowRoot.querySelector('canvas');"
                + " if (!c || c.width < 10) return false; const p = c.getContext('2d')"
                + ".getImageData(c.width >> 1, c.height >> 1, 1, 1).data; return p[3] > 0; }");

        // masks fully opaque: a pixel inside the woman's mask has her phrase colour, one outside every mask not
        page.evaluate("async () => { const el = document.querySelector('mask-canvas'); el.opacity = 1;"
                + " await el.updateComplete; await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); }");
        int[] inside = pixel(page, seeded.inside()[0], seeded.inside()[1]);
        int[] outside = pixel(page, seeded.outside()[0], seeded.outside()[1]);
        assertThat(close(inside, FIRST_COLOR)).as("inside %s", java.util.Arrays.toString(inside)).isTrue();
        assertThat(close(outside, FIRST_COLOR)).as("outside %s", java.util.Arrays.toString(outside)).isFalse();
        assertThat(outside[3]).isEqualTo(255); // the photo is there
        // the same points with masks off: the photo only, so the colour came from the mask
        page.evaluate("async () => { const el = document.querySelector('mask-canvas'); el.opacity = 0;"
                + " await el.updateComplete; await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); }");
        assertThat(close(pixel(page, seeded.inside()[0], seeded.inside()[1]), FIRST_COLOR)).isFalse();
        page.evaluate("async () => { const el = document.querySelector('mask-canvas'); el.opacity = 0.5;"
                + " await el.updateComplete; }");

        // a click on a mask pixel selects its phrase
        Object at = page.evaluate("([x, y]) => { const el = document.querySelector('mask-canvas');"
                + " const p = el.imageToCanvas(x, y); const r = el.getBoundingClientRect(); const d = window.devicePixelRatio || 1;"
                + " return [r.left + p.x / d, r.top + p.y / d]; }", List.of(seeded.inside()[0], seeded.inside()[1]));
        List<?> xy = (List<?>) at;
        page.mouse().click(((Number) xy.get(0)).doubleValue(), ((Number) xy.get(1)).doubleValue());
        page.locator("#phrases li.phrase-row.selected[data-phrase='0']").waitFor();

        // deselect (click the phrase again), outlines on, for the screenshot
        page.locator("#phrases li.phrase-row[data-phrase='0']").click();
        page.locator("#phrases li.phrase-row.selected").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        page.mouse().move(5, 5);
        page.locator("#outline").click();
        page.waitForLoadState(LoadState.NETWORKIDLE);
        page.waitForTimeout(300);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("item-view.png")));
    }

    /** RGBA of the canvas pixel where image pixel (x, y) lands. */
    private static int[] pixel(Page page, int x, int y) {
        Object rgba = page.evaluate("([x, y]) => { const el = document.querySelector('mask-canvas');"
                + " const c = el.shadowRoot.querySelector('canvas'); const p = el.imageToCanvas(x, y);"
                + " return Array.from(c.getContext('2d').getImageData(p.x, p.y, 1, 1).data); }", List.of(x, y));
        return ((List<?>) rgba).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    private static boolean close(int[] rgba, int[] rgb) {
        return Math.abs(rgba[0] - rgb[0]) <= 3 && Math.abs(rgba[1] - rgb[1]) <= 3 && Math.abs(rgba[2] - rgb[2]) <= 3;
    }

    private record Seeded(DatasetSummary dataset, ItemInfo item, int[] inside, int[] outside, List<Long> areas) {
    }

    private Seeded seed() throws IOException {
        JsonNode astronaut;
        try (InputStream in = new ClassPathResource("demo/demo-captions.json").getInputStream()) {
            astronaut = JsonMapper.builder().build().readTree(in).get(0);
        }
        String fileName = astronaut.get("file_name").asString();
        StoredImage stored;
        try (InputStream in = new ClassPathResource("demo/images/" + fileName).getInputStream()) {
            stored = images.store(in, fileName);
        }
        DatasetSummary dataset = datasets.create(datasets.find("CC0 demo photos").isEmpty() ? "CC0 demo photos"
                : "CC0 demo photos " + UUID.randomUUID(), "browser test", "admin");
        ImageInfo image = datasets.addImage(dataset.id(), fileName, stored, "demo", Split.VAL);
        ItemInfo item = datasets.ensureItem(image);
        int h = image.height();
        int w = image.width();

        List<PhraseSpan> phrases = new ArrayList<>();
        List<Rle> rles = new ArrayList<>();
        JsonNode demoPhrases = astronaut.get("phrases");
        for (JsonNode p : demoPhrases) {
            JsonNode polygon = p.get("instances").get(0);
            double[] xy = new double[polygon.size()];
            for (int i = 0; i < xy.length; i++) {
                xy[i] = polygon.get(i).asDouble();
            }
            rles.add(Rle.fromPolygon(xy, h, w));
        }
        // GLaMM-style: the last phrase has no mask, its mask is left over
        for (int i = 0; i < demoPhrases.size(); i++) {
            JsonNode p = demoPhrases.get(i);
            List<MaskRle> masks = i == demoPhrases.size() - 1 ? List.of()
                    : List.of(new MaskRle(h, w, rles.get(i).toCompressedString()));
            phrases.add(new PhraseSpan(p.get("start").asInt(), p.get("end").asInt(), p.get("text").asString(), masks));
        }
        MaskRle leftOver = new MaskRle(h, w, rles.getLast().toCompressedString());
        revisions.append(new NewRevision(item.id(), null,
                new GroundedCaption(astronaut.get("caption").asString(), phrases, List.of(leftOver)),
                Origin.IMPORT, "demo", null, "demo-captions.json", List.of("1 mask without phrase"), null, h, w));

        // a point deep inside the first mask only, and one in no mask
        List<byte[]> bitmaps = rles.stream().map(Rle::decode).toList();
        int[] inside = null;
        int[] outside = null;
        for (int x = 8; x < w - 8 && (inside == null || outside == null); x += 4) {
            for (int y = 8; y < h - 8; y += 4) {
                if (inside == null && onlyFirst(bitmaps, x, y, h)) {
                    inside = new int[] {x, y};
                }
                if (outside == null && none(bitmaps, x, y, h)) {
                    outside = new int[] {x, y};
                }
            }
        }
        assertThat(inside).isNotNull();
        assertThat(outside).isNotNull();
        // the canvas gets the linked masks in phrase order, then the left-over one
        List<Long> areas = new ArrayList<>();
        rles.subList(0, rles.size() - 1).forEach(r -> areas.add(r.area()));
        areas.add(rles.getLast().area());
        return new Seeded(dataset, item, inside, outside, areas);
    }

    private static boolean onlyFirst(List<byte[]> bitmaps, int x, int y, int h) {
        for (int dx = -6; dx <= 6; dx += 3) {
            for (int dy = -6; dy <= 6; dy += 3) {
                int i = (x + dx) * h + (y + dy);
                if (bitmaps.get(0)[i] == 0) {
                    return false;
                }
                for (int m = 1; m < bitmaps.size(); m++) {
                    if (bitmaps.get(m)[i] != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean none(List<byte[]> bitmaps, int x, int y, int h) {
        for (int dx = -6; dx <= 6; dx += 3) {
            for (int dy = -6; dy <= 6; dy += 3) {
                int i = (x + dx) * h + (y + dy);
                for (byte[] b : bitmaps) {
                    if (b[i] != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}

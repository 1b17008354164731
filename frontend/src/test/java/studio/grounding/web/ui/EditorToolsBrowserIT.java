package studio.grounding.web.ui;

import static studio.grounding.web.ui.Chromium.SCREENSHOTS;
import static studio.grounding.web.ui.EditorPage.CANVAS;
import static studio.grounding.web.ui.EditorPage.EDITOR;
import static studio.grounding.web.ui.EditorPage.listenForMaskEdits;
import static studio.grounding.web.ui.EditorPage.stroke;
import static studio.grounding.web.ui.EditorPage.waitForMasksDrawn;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ActiveProfiles;
import studio.grounding.annotation.EditingService;
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
 * The editor's tools that the other browser tests leave out, in real Chromium: on the astronaut photo with a ring
 * mask (a square with a square hole) added to the first phrase, "Fill holes" fills the hole, the eraser shrinks the
 * mask, H hides every mask and shows them again, the opacity slider and the outline toggle change the drawn pixels,
 * the per-mask select moves a mask to another phrase, × deletes it, "+ mask" adds an empty one; offline (the browser
 * context taken offline) an edit shows "offline", back online it is "saved", with the draft in the database; an edit left
 * unsaved makes leaving the page ask ({@code beforeunload}). At device scale 2 the mask canvas has twice the CSS
 * pixels and Fit / 1:1 set the zoom label; a generated 4096×4096 photo with three masks opens, draws its masks and
 * takes a brush stroke.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class EditorToolsBrowserIT {

    /** the ring: outer square [300, 400), hole [330, 370) */
    private static final int HOLE = 40 * 40;

    private static Playwright playwright;
    private static Browser browser;

    @LocalServerPort
    int port;
    @Autowired
    DatasetService datasets;
    @Autowired
    ImageStore images;
    @Autowired
    RevisionService revisions;
    @Autowired
    EditingService editing;

    private final List<BrowserContext> contexts = new ArrayList<>();

    @BeforeAll
    static void startChromium() throws IOException {
        Chromium.assumeInstalled();
        Files.createDirectories(SCREENSHOTS);
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void stopChromium() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void maskToolsDisplayOfflineSavingAndLeavingWithUnsavedWork() throws IOException {
        ItemInfo item = seedAstronautWithARing();
        BrowserContext context = newContext(1);
        Page page = signIn(context);
        try {
            page.navigate(url("/items/" + item.id() + "/edit"));
            page.locator("grounding-editor li.phrase-row[data-phrase='2']").waitFor();
            waitForMasksDrawn(page);
            String ring = String.valueOf(page.evaluate("() => " + EDITOR + ".state.phrases[0].masks[1]"));
            Locator ringChip = page.locator("grounding-editor .chip[data-mask='" + ring + "']");

            // (b) fill holes: the ring's area grows by exactly the hole
            ringChip.locator("span").first().click();
            assertThat(String.valueOf(page.evaluate("() => " + EDITOR + ".selectedMask"))).isEqualTo(ring);
            long ringArea = area(page, ring);
            assertThat(ringArea).isEqualTo(100 * 100 - HOLE);
            page.locator("grounding-editor #fill-holes").click();
            assertThat(area(page, ring)).isEqualTo(100L * 100);

            // (a) the eraser across the top of the filled square shrinks it
            page.keyboard().press("e");
            assertThat(page.locator("grounding-editor button[data-tool='eraser']").getAttribute("aria-pressed"))
                    .isEqualTo("true");
            listenForMaskEdits(page);
            stroke(page, 290, 312, 410, 312);
            page.waitForFunction("() => window.__edits.length === 1");
            assertThat(String.valueOf(page.evaluate("() => window.__edits[0]"))).isEqualTo(ring);
            long erased = area(page, ring);
            assertThat(erased).isLessThan(100L * 100 - 500);

            // the display: nothing selected, a pixel inside the ring (left side, below the erased band)
            page.keyboard().press("Escape");
            page.mouse().move(5, 700);
            int[] shown = waitForPixel(page, 315, 360, "a > 0");
            // H hides every mask: the pixel loses its colour; H again shows it
            page.keyboard().press("h");
            assertThat(page.locator("grounding-editor #hide-all").getAttribute("aria-pressed")).isEqualTo("true");
            waitForPixel(page, 315, 360, "a === 0");
            page.keyboard().press("h");
            assertThat(waitForPixel(page, 315, 360, "a > 0")[3]).isEqualTo(shown[3]);
            // outline mode: the ring's edge pixels are drawn opaque (the fill stays at the opacity)
            assertThat(waitForPixel(page, 300.5, 360.5, "a > 0")[3]).isLessThan(255);
            page.locator("grounding-editor #outline").check();
            waitForPixel(page, 300.5, 360.5, "a === 255");
            page.locator("grounding-editor #outline").uncheck();
            waitForPixel(page, 300.5, 360.5, "a > 0 && a < 255");
            // opacity 100 %: the pixel inside more opaque
            page.locator("grounding-editor #opacity").evaluate(
                    "e => { e.value = '100'; e.dispatchEvent(new Event('input', {bubbles: true})); }");
            assertThat(waitForPixel(page, 315, 360, "a > " + shown[3])[3]).isGreaterThan(shown[3]);

            // (c) move the ring to the third phrase with its select, then delete it
            ringChip.locator("select.move-mask").selectOption("2");
            Locator shuttleRing = page.locator(
                    "grounding-editor li.phrase-row[data-phrase='2'] .chip[data-mask='" + ring + "']");
            assertThat(shuttleRing.count()).isEqualTo(1);
            assertThat(page.locator("grounding-editor li.phrase-row[data-phrase='0'] .chip[data-mask='" + ring
                    + "']").count()).isZero();
            assertThat(page.evaluate("(k) => " + EDITOR + ".state.phrases[2].masks.includes(k)", ring))
                    .isEqualTo(true);
            shuttleRing.locator("button.delete-mask").click();
            assertThat(ringChip.count()).isZero();
            assertThat(page.evaluate("(k) => " + EDITOR + ".state.phrases.some(p => p.masks.includes(k))", ring))
                    .isEqualTo(false);
            // "+ mask" adds an empty instance mask to the second phrase
            Locator secondPhraseChips = page.locator("grounding-editor li.phrase-row[data-phrase='1'] .chip");
            int chips = secondPhraseChips.count();
            page.locator("grounding-editor li.phrase-row[data-phrase='1'] button.add-mask").click();
            assertThat(secondPhraseChips.count()).isEqualTo(chips + 1);
            String added = String.valueOf(page.evaluate("() => { const m = " + EDITOR
                    + ".state.phrases[1].masks; return m[m.length - 1]; }"));
            assertThat(area(page, added)).isZero();
            page.locator("grounding-editor #save-state[data-state='saved']").waitFor(new Locator.WaitForOptions()
                    .setTimeout(15_000));

            // (d) offline: an edit is not saved; online again it is, and the draft is in the database
            context.setOffline(true);
            typeAtTheEnd(page, " Offline.");
            page.waitForTimeout(3_500);
            String offlineState = page.locator("grounding-editor #save-state").getAttribute("data-state");
            System.out.println("save state while offline: " + offlineState + " ("
                    + page.locator("grounding-editor #save-state").innerText() + ")");
            assertThat(offlineState).isEqualTo("offline");
            assertThat(editing.draft(item.id(), "admin").map(d -> d.documentJson()).orElse(""))
                    .doesNotContain("Offline.");
            context.setOffline(false);
            page.locator("grounding-editor #save-state[data-state='saved']").waitFor(new Locator.WaitForOptions()
                    .setTimeout(25_000));
            await(() -> editing.draft(item.id(), "admin").map(d -> d.documentJson()).orElse("")
                    .contains("Offline."), "the draft with the offline edit on the server");

            // (e) an edit, and leaving at once (before the autosave): the browser asks first
            List<String> dialogs = new CopyOnWriteArrayList<>();
            page.onDialog(d -> {
                dialogs.add(d.type());
                d.dismiss();
            });
            typeAtTheEnd(page, " Leaving.");
            page.close(new Page.CloseOptions().setRunBeforeUnload(true));
            for (int i = 0; i < 50 && dialogs.isEmpty(); i++) {
                page.waitForTimeout(100);
            }
            assertThat(dialogs).contains("beforeunload");
        } catch (RuntimeException | AssertionError e) {
            failureScreenshot(page, "editor-tools-failure.png");
            throw e;
        } finally {
            closeContexts();
        }
    }

    @Test
    void highDpiZoomAndALargePhoto() throws IOException {
        ItemInfo astronaut = seedAstronautWithARing();
        ItemInfo large = seedLarge();
        BrowserContext context = newContext(2);
        Page page = signIn(context);
        try {
            // (f) device scale 2: the mask canvas's backing store is twice its CSS size; Fit and 1:1 set the zoom
            page.navigate(url("/items/" + astronaut.id() + "/edit"));
            page.locator("grounding-editor li.phrase-row[data-phrase='0']").waitFor();
            waitForMasksDrawn(page);
            List<?> sizes = (List<?>) page.evaluate("() => { const c = " + CANVAS + "; const m ="
                    + " c.shadowRoot.querySelector('canvas.masks'); return [window.devicePixelRatio, m.width,"
                    + " m.height, c.clientWidth, c.clientHeight]; }");
            assertThat(((Number) sizes.get(0)).doubleValue()).isEqualTo(2.0);
            assertThat(((Number) sizes.get(1)).intValue()).isEqualTo(2 * ((Number) sizes.get(3)).intValue());
            assertThat(((Number) sizes.get(2)).intValue()).isEqualTo(2 * ((Number) sizes.get(4)).intValue());
            Locator zoom = page.locator("grounding-editor #zoom");
            page.locator("grounding-editor #one-to-one").click();
            assertThat(zoom.innerText()).isEqualTo("100%");
            page.locator("grounding-editor #fit").click();
            String fitted = zoom.innerText();
            assertThat(fitted).endsWith("%").isNotEqualTo("100%");
            page.locator("grounding-editor #one-to-one").click();
            assertThat(zoom.innerText()).isEqualTo("100%");
            page.locator("grounding-editor #fit").click();
            assertThat(zoom.innerText()).isEqualTo(fitted);

            // (g) a 4096×4096 photo with three masks opens, draws them, and a brush stroke edits a mask
            page.evaluate("() => { if (window.__studioPerf) { window.__studioPerf.openMs = -1; } }");
            page.navigate(url("/items/" + large.id() + "/edit"));
            page.locator("grounding-editor li.phrase-row[data-phrase='2']").waitFor();
            waitForMasksDrawn(page);
            System.out.println("4096x4096 editor open (masks drawn) ms: "
                    + page.evaluate("() => window.__studioPerf.openMs"));
            page.mouse().move(5, 700);
            waitForPixel(page, 1000, 1000, "a > 0");
            waitForPixel(page, 3000, 3000, "a > 0");
            page.locator("grounding-editor li.phrase-row[data-phrase='0'] .phrase-text").click();
            String first = String.valueOf(page.evaluate("() => " + EDITOR + ".state.phrases[0].masks[0]"));
            long before = area(page, first);
            assertThat(before).isGreaterThan(900_000L);
            page.keyboard().press("b");
            listenForMaskEdits(page);
            stroke(page, 1000, 1000, 1900, 1000);
            page.waitForFunction("() => window.__edits.length === 1");
            assertThat(area(page, first)).isGreaterThan(before);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("editor-4096.png")));
        } catch (RuntimeException | AssertionError e) {
            failureScreenshot(page, "editor-hidpi-failure.png");
            throw e;
        } finally {
            closeContexts();
        }
    }

    // ---------------------------------------------------------------- browser helpers

    private BrowserContext newContext(double deviceScale) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 860)
                .setDeviceScaleFactor(deviceScale));
        contexts.add(context);
        return context;
    }

    private Page signIn(BrowserContext context) {
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.onPageError(e -> System.out.println("browser page error: " + e));
        Chromium.signIn(page, url(""), "admin", "admin-test-password");
        return page;
    }

    private void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    private static void failureScreenshot(Page page, String name) {
        try {
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)));
        } catch (RuntimeException ignored) {
            // the page may be gone; the assertion error matters
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static void typeAtTheEnd(Page page, String text) {
        page.locator("grounding-editor textarea#caption").click();
        page.keyboard().press("Control+End");
        page.keyboard().type(text);
    }

    /** The pixels of the mask with this key, as the browser holds it. */
    private static long area(Page page, String key) {
        return ((Number) page.evaluate("(k) => { const ed = " + EDITOR + "; return ed.doc.mask(k).bitmap(ed.codec)"
                + ".reduce((a, v) => a + v, 0); }", key)).longValue();
    }

    /**
     * Waits until the mask canvas's device pixel over image pixel (x, y) satisfies {@code condition} (a JavaScript
     * expression of {@code a}, its alpha) and returns its RGBA.
     */
    private static int[] waitForPixel(Page page, double x, double y, String condition) {
        String read = "const c = " + CANVAS + "; const p = c.imageToClient(x, y); const d = window.devicePixelRatio"
                + " || 1; const m = c.shadowRoot.querySelector('canvas.masks'); const px = m.getContext('2d')"
                + ".getImageData(Math.floor(p.x * d), Math.floor(p.y * d), 1, 1).data;";
        try {
            page.waitForFunction("([x, y]) => { " + read + " const a = px[3]; return " + condition + "; }",
                    List.of(x, y), new Page.WaitForFunctionOptions().setTimeout(5_000));
        } catch (RuntimeException e) {
            throw new AssertionError("the mask pixel at (" + x + ", " + y + ") is "
                    + page.evaluate("([x, y]) => { " + read + " return Array.from(px).join(','); }", List.of(x, y))
                    + ", not " + condition, e);
        }
        List<?> rgba = (List<?>) page.evaluate("([x, y]) => { " + read + " return Array.from(px); }",
                List.of(x, y));
        return rgba.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    // ---------------------------------------------------------------- seeding

    /** The astronaut photo with its demo caption; the first phrase gets a second mask: a ring with a square hole. */
    private ItemInfo seedAstronautWithARing() throws IOException {
        JsonNode astronaut;
        try (InputStream in = new ClassPathResource("demo/demo-captions.json").getInputStream()) {
            astronaut = JsonMapper.builder().build().readTree(in).get(0);
        }
        String fileName = astronaut.get("file_name").asString();
        StoredImage stored;
        try (InputStream in = new ClassPathResource("demo/images/" + fileName).getInputStream()) {
            stored = images.store(in, fileName);
        }
        ImageInfo image = newImage(fileName, stored);
        ItemInfo item = datasets.ensureItem(image);
        int h = image.height();
        int w = image.width();
        byte[] ring = new byte[h * w];
        for (int x = 300; x < 400; x++) {
            for (int y = 300; y < 400; y++) {
                boolean hole = x >= 330 && x < 370 && y >= 330 && y < 370;
                ring[x * h + y] = (byte) (hole ? 0 : 1);
            }
        }
        List<PhraseSpan> phrases = new ArrayList<>();
        for (JsonNode p : astronaut.get("phrases")) {
            JsonNode polygon = p.get("instances").get(0);
            double[] xy = new double[polygon.size()];
            for (int i = 0; i < xy.length; i++) {
                xy[i] = polygon.get(i).asDouble();
            }
            List<MaskRle> masks = new ArrayList<>();
            masks.add(new MaskRle(h, w, Rle.fromPolygon(xy, h, w).toCompressedString()));
            if (phrases.isEmpty()) {
                masks.add(new MaskRle(h, w, Rle.encode(ring, h, w).toCompressedString()));
            }
            phrases.add(new PhraseSpan(p.get("start").asInt(), p.get("end").asInt(), p.get("text").asString(),
                    masks));
        }
        revisions.append(new NewRevision(item.id(), null, new GroundedCaption(astronaut.get("caption").asString(),
                phrases, List.of()), Origin.IMPORT, "demo", null, "demo-captions.json", List.of(), null, h, w));
        return item;
    }

    /** A generated 4096×4096 PNG (Java2D) with three phrases, each with a 1000×1000 square mask. */
    private ItemInfo seedLarge() throws IOException {
        int size = 4096;
        BufferedImage png = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = png.createGraphics();
        g.setColor(new Color(40, 60, 90));
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(200, 150, 60));
        g.fillOval(500, 500, 1500, 1500);
        g.setColor(new Color(90, 180, 120));
        g.fillRect(2600, 2600, 1000, 1000);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(png, "png", bytes);
        StoredImage stored = images.store(new ByteArrayInputStream(bytes.toByteArray()), "large-4096.png");
        ItemInfo item = datasets.ensureItem(newImage("large-4096.png", stored));
        String caption = "A sun, a field and a box.";
        int[][] squares = {{600, 600}, {2600, 2600}, {2600, 200}};
        String[] texts = {"A sun", "a field", "a box"};
        List<PhraseSpan> phrases = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            int start = caption.indexOf(texts[i]);
            Rle square = Rle.fromBbox(new double[] {squares[i][0], squares[i][1], 1000, 1000}, size, size);
            phrases.add(new PhraseSpan(start, start + texts[i].length(), texts[i],
                    List.of(new MaskRle(size, size, square.toCompressedString()))));
        }
        revisions.append(new NewRevision(item.id(), null, new GroundedCaption(caption, phrases, List.of()),
                Origin.IMPORT, "test", null, "generated", List.of(), null, size, size));
        return item;
    }

    private ImageInfo newImage(String fileName, StoredImage stored) {
        DatasetSummary dataset = datasets.create("editor tools " + UUID.randomUUID(), "browser test", "admin");
        return datasets.addImage(dataset.id(), fileName, stored, "test", Split.VAL);
    }
}

package studio.grounding.web.ui;

import static studio.grounding.web.ui.Chromium.SCREENSHOTS;
import static studio.grounding.web.ui.EditorPage.EDITOR;
import static studio.grounding.web.ui.EditorPage.stroke;
import static studio.grounding.web.ui.EditorPage.waitForMasksDrawn;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
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
 * The editor in real Chromium on the demo photo {@code astronaut.png}: sign in, an item held by another user opens
 * read-only with who holds it; open the item in the editor, type
 * into the caption before a phrase (its span moves), brush a mask with the mouse (the mask's bitmap grows and a
 * {@code mask-edit} event fires), undo it with Ctrl+Z, brush again, wait for "Saved", reload and find the draft —
 * caption and mask — restored from the server. Screenshot: {@code target/screenshots/editor.png}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class EditorBrowserIT {

    /** the number of mask pixels of the first phrase's first mask, as the browser holds it */
    private static final String AREA = "() => { const ed = " + EDITOR + "; const st = ed.state;"
            + " const m = ed.doc.mask(st.phrases[0].masks[0]); return m.bitmap(ed.codec).reduce((a, v) => a + v, 0); }";

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
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @BeforeAll
    static void needsChromium() {
        Chromium.assumeInstalled();
    }

    @Test
    void readOnlyWhenHeldThenEditCaptionBrushUndoAndFindTheDraftAfterAReload() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        ItemInfo item = seed();
        String base = "http://127.0.0.1:" + port;
        try (Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1440, 860));
            page.setDefaultTimeout(30_000);
            page.onPageError(e -> System.out.println("browser page error: " + e));
            try {
                walkThrough(page, base, item);
            } catch (RuntimeException | AssertionError e) {
                page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("editor-failure.png")));
                throw e;
            }
        }
    }

    private void walkThrough(Page page, String base, ItemInfo item) throws IOException {
        Chromium.signIn(page, base, "admin", "admin-test-password");

        // an item another user holds opens read-only, saying who holds it
        ItemInfo held = seed();
        assertThat(editing.open(held.id(), "bob").editable()).isTrue();
        page.navigate(base + "/items/" + held.id() + "/edit");
        assertThat(page.locator("grounding-editor #lock-message").innerText()).startsWith("Read-only: held by bob since");
        assertThat(page.locator("grounding-editor textarea#caption").getAttribute("readonly")).isNotNull();
        assertThat(page.locator("grounding-editor #submit").isDisabled()).isTrue();
        assertThat(page.locator("grounding-editor .add-mask").count()).isZero();

        // from the read-only item view to the editor
        page.navigate(base + "/items/" + item.id());
        page.locator("#edit-link").click();
        page.waitForURL("**/items/" + item.id() + "/edit");
        Locator phrase0 = page.locator("grounding-editor li.phrase-row[data-phrase='0']");
        phrase0.waitFor();
        Locator shuttle = page.locator("grounding-editor li.phrase-row[data-phrase='2']");
        assertThat(shuttle.getAttribute("data-start")).isEqualTo("68");
        waitForMasksDrawn(page);

        // type before the phrases: every span moves by the typed length
        Locator caption = page.locator("grounding-editor textarea#caption");
        caption.click();
        page.evaluate("() => " + EDITOR + ".shadowRoot.querySelector('textarea').setSelectionRange(0, 0)");
        page.keyboard().type("Look: ");
        assertThat(caption.inputValue()).startsWith("Look: A woman in an orange spacesuit");
        assertThat(shuttle.getAttribute("data-start")).isEqualTo("74");
        assertThat(shuttle.getAttribute("data-end")).isEqualTo("95");
        assertThat(page.locator("grounding-editor li.phrase-row[data-phrase='2'] .phrase-text").innerText())
                .isEqualTo("a model space shuttle");
        // letters typed in the caption are text, not shortcuts
        assertThat(page.locator("grounding-editor button[data-tool='brush']").getAttribute("aria-pressed"))
                .isEqualTo("false");

        // select the first phrase (and its mask), take the brush with its shortcut, brush across the top left
        phrase0.locator(".phrase-text").click();
        page.keyboard().press("b");
        assertThat(page.locator("grounding-editor button[data-tool='brush']").getAttribute("aria-pressed"))
                .isEqualTo("true");
        long before = area(page);
        page.evaluate("() => { window.__edits = []; " + EDITOR + ".addEventListener('mask-edit',"
                + " e => window.__edits.push(e.detail.key)); }");
        stroke(page, 20, 20, 120, 30);
        page.waitForFunction("() => window.__edits.length === 1");
        long brushed = area(page);
        assertThat(brushed).isGreaterThan(before + 500);

        // undo: the mask is as it was
        page.keyboard().press("Control+z");
        assertThat(area(page)).isEqualTo(before);
        page.keyboard().press("Control+Shift+z");
        assertThat(area(page)).isEqualTo(brushed);

        // a new phrase from selected caption text: listed as a problem (no mask) until it gets one
        page.evaluate("() => " + EDITOR + ".shadowRoot.querySelector('textarea').setSelectionRange(37, 43)");
        page.locator("grounding-editor #make-phrase").click();
        Locator smiles = page.locator("grounding-editor li.phrase-row[data-phrase='1']");
        assertThat(smiles.locator(".phrase-text").innerText()).isEqualTo("smiles");
        assertThat(smiles.getAttribute("data-start")).isEqualTo("37");
        assertThat(page.locator("grounding-editor #problems li[data-problem='phrase:1:no-mask']").innerText())
                .contains("“smiles” has no mask");
        // brushing with the phrase selected and no mask yet creates its mask (need-layer) and draws into it
        page.keyboard().press("Escape");
        smiles.locator(".phrase-text").click();
        stroke(page, 300, 40, 340, 60);
        page.waitForFunction("() => window.__edits.length === 2");
        assertThat(smiles.locator(".chip").count()).isEqualTo(1);
        assertThat(page.locator("grounding-editor #problems li[data-problem='phrase:1:no-mask']").count()).isZero();
        // undo twice: the stroke, then the new mask; the problem is back
        page.keyboard().press("Control+z");
        page.keyboard().press("Control+z");
        assertThat(smiles.locator(".chip").count()).isZero();
        page.locator("grounding-editor #problems li[data-problem='phrase:1:no-mask'] input.accept").check();
        assertThat(page.locator("grounding-editor #problems li.accepted[data-problem='phrase:1:no-mask']").count())
                .isEqualTo(1);

        // ? lists every shortcut
        page.keyboard().press("?");
        assertThat(page.locator("grounding-editor #shortcuts").innerText()).contains("Ctrl+Enter").contains("[ / ]");
        page.keyboard().press("Escape");
        assertThat(page.locator("grounding-editor #shortcuts").count()).isZero();

        // the draft is saved within a few seconds
        page.locator("grounding-editor #save-state[data-state='saved']").waitFor(new Locator.WaitForOptions()
                .setTimeout(10_000));
        for (int i = 0; i < 50 && editing.draft(item.id(), "admin").isEmpty(); i++) {
            page.waitForTimeout(100);
        }
        assertThat(editing.draft(item.id(), "admin")).as("draft on the server; the page says %s",
                page.evaluate("() => { const e = " + EDITOR + "; return JSON.stringify({ state: e.saveState,"
                        + " error: e.saveError, readOnly: e.readOnly, notice: e.notice }); }")
                        + " drafts " + jdbc.sql("select item_id, username, version from drafts").query().listOfRows()
                        + " item " + datasets.item(item.id()).orElseThrow() + " url " + page.url()).isPresent();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("editor.png")));

        // reload: the draft comes back, caption and mask
        page.reload();
        phrase0.waitFor();
        assertThat(page.locator("grounding-editor #notice").innerText()).contains("draft was restored");
        assertThat(page.locator("grounding-editor textarea#caption").inputValue())
                .startsWith("Look: A woman in an orange spacesuit");
        assertThat(page.locator("grounding-editor li.phrase-row[data-phrase='3']").getAttribute("data-start"))
                .isEqualTo("74");
        assertThat(page.locator("grounding-editor li.phrase-row[data-phrase='1'] .phrase-text").innerText())
                .isEqualTo("smiles");
        assertThat(page.locator("grounding-editor #problems li.accepted[data-problem='phrase:1:no-mask']").count())
                .isEqualTo(1);
        assertThat(area(page)).isEqualTo(brushed);
        Object openMs = page.evaluate("() => window.__studioPerf && window.__studioPerf.openMs");
        System.out.println("editor open (masks drawn) ms: " + openMs);
    }

    private static long area(Page page) {
        return ((Number) page.evaluate(AREA)).longValue();
    }

    private ItemInfo seed() throws IOException {
        JsonNode astronaut;
        try (InputStream in = new ClassPathResource("demo/demo-captions.json").getInputStream()) {
            astronaut = JsonMapper.builder().build().readTree(in).get(0);
        }
        String fileName = astronaut.get("file_name").asString();
        StoredImage stored;
        try (InputStream in = new ClassPathResource("demo/images/" + fileName).getInputStream()) {
            stored = images.store(in, fileName);
        }
        DatasetSummary dataset = datasets.create("editor test " + UUID.randomUUID(), "browser test", "admin");
        ImageInfo image = datasets.addImage(dataset.id(), fileName, stored, "demo", Split.VAL);
        ItemInfo item = datasets.ensureItem(image);
        int h = image.height();
        int w = image.width();
        List<PhraseSpan> phrases = new ArrayList<>();
        for (JsonNode p : astronaut.get("phrases")) {
            JsonNode polygon = p.get("instances").get(0);
            double[] xy = new double[polygon.size()];
            for (int i = 0; i < xy.length; i++) {
                xy[i] = polygon.get(i).asDouble();
            }
            MaskRle mask = new MaskRle(h, w, Rle.fromPolygon(xy, h, w).toCompressedString());
            phrases.add(new PhraseSpan(p.get("start").asInt(), p.get("end").asInt(), p.get("text").asString(),
                    List.of(mask)));
        }
        revisions.append(new NewRevision(item.id(), null, new GroundedCaption(astronaut.get("caption").asString(),
                phrases, List.of()), Origin.IMPORT, "demo", null, "demo-captions.json", List.of(), null, h, w));
        return item;
    }
}

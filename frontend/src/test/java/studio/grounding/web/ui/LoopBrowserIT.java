package studio.grounding.web.ui;

import static studio.grounding.web.ui.Chromium.SCREENSHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.LoadState;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
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
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.evaluation.EvaluationService;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersionService;

/**
 * Issue 5's loop in real Chromium: a dataset with accepted items and two model versions already evaluated on it; the
 * curator creates a snapshot on /snapshots, launches a LOCAL run on /training (the fake trainer,
 * backend/src/test/resources/fake-train.sh, set in application-test.properties; the page polls until SUCCEEDED
 * without a click), follows the new model version's link to /models and sees the versions compared with charts.
 * Screenshots: {@code target/screenshots/} snapshots.png, training.png, models.png. Skipped where there is no Chromium.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class LoopBrowserIT {

    private static final int H = 48;
    private static final int W = 64;
    private static final String DATASET = "Street scenes";
    private static final String BASE = "glamm-gcg";
    private static final String EARLIER = "glamm-ft-march";

    @LocalServerPort
    int port;
    @Autowired
    DatasetService datasets;
    @Autowired
    ImageStore images;
    @Autowired
    RevisionService revisions;
    @Autowired
    ModelVersionService models;
    @Autowired
    EvaluationService evaluations;

    @BeforeAll
    static void needsChromium() {
        Chromium.assumeInstalled();
    }

    @Test
    void snapshotTrainAndCompareTheModelVersions() throws IOException {
        seed();
        Files.createDirectories(SCREENSHOTS);
        String base = "http://127.0.0.1:" + port;
        try (Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1440, 900));
            page.setDefaultTimeout(30_000);
            try {
                walkThrough(page, base);
            } catch (RuntimeException | AssertionError e) {
                page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("loop-failure.png"))
                        .setFullPage(true));
                throw e;
            }
        }
    }

    private void walkThrough(Page page, String base) {
        Chromium.signIn(page, base, "admin", "admin-test-password");

        // snapshot the accepted work
        page.navigate(base + "/snapshots");
        choose(page, "vaadin-combo-box#snapshot-dataset", DATASET);
        page.locator("vaadin-text-field#snapshot-note input").fill("first corrected batch");
        page.locator("vaadin-button#create-snapshot").click();
        page.locator("vaadin-grid#snapshots").getByText("first corrected batch").waitFor();
        page.locator("#snapshot-message", new Page.LocatorOptions().setHasText("Created snapshot 1 with 6 items")).waitFor();
        page.waitForLoadState(LoadState.NETWORKIDLE);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("snapshots.png")));

        // launch a local finetuning run on it; the page polls until it has succeeded
        page.navigate(base + "/training");
        choose(page, "vaadin-combo-box#run-base-model", BASE);
        choose(page, "vaadin-combo-box#run-dataset", DATASET);
        choose(page, "vaadin-combo-box#run-snapshot", "#1");
        page.locator("vaadin-text-area#run-hyperparameters textarea").fill("epochs=1\nlr=1e-4");
        page.locator("vaadin-button#start-run").click();
        page.locator("#run-message", new Page.LocatorOptions().setHasText("Run #1")).waitFor();
        String newModel = BASE + "-ft-run1";
        page.locator("vaadin-grid#runs").getByText("SUCCEEDED").waitFor(new Locator.WaitForOptions().setTimeout(60_000));
        page.locator("vaadin-grid#runs a.result-model").getByText(newModel).waitFor();
        // the run started here is selected: its logs and the message line follow it
        page.locator("#run-logs", new Page.LocatorOptions().setHasText("new model version: " + newModel)).waitFor();
        page.locator("#run-message", new Page.LocatorOptions().setHasText("SUCCEEDED")).waitFor();
        assertThat(page.locator("#run-logs").innerText()).contains("Epoch: [0][4/4]");
        page.waitForLoadState(LoadState.NETWORKIDLE);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("training.png")).setFullPage(true));

        // the new version's link opens the models page with the dataset and the version chosen
        page.locator("vaadin-grid#runs a.result-model").click();
        page.waitForURL("**/models?**");
        page.locator("vaadin-grid#metrics").getByText(EARLIER).waitFor();
        page.locator("vaadin-grid#metrics").getByText(BASE).first().waitFor();
        assertThat(page.locator("vaadin-combo-box#model input").inputValue()).isEqualTo(newModel);
        assertThat(page.locator("vaadin-select#dataset").innerText()).contains(DATASET);
        assertThat(page.locator("#metric-charts svg").count()).isEqualTo(4);
        assertThat(page.locator("#effort-charts svg").count()).isEqualTo(4);
        assertThat(page.locator("#metric-charts").innerHTML()).contains("data-label=\"" + EARLIER + "\"")
                .contains("data-label=\"" + BASE + "\"");
        page.waitForLoadState(LoadState.NETWORKIDLE);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("models.png")).setFullPage(true));
    }

    /** Types into a Vaadin combo box and picks the first suggestion containing the text. */
    private static void choose(Page page, String comboBox, String text) {
        page.locator(comboBox + " input").click();
        page.locator(comboBox + " input").fill(text);
        page.locator("vaadin-combo-box-item", new Page.LocatorOptions().setHasText(text)).first().click();
        page.waitForLoadState(LoadState.NETWORKIDLE);
    }

    /**
     * Six street photos (drawn here) with the truth "A dog on grass."; base {@code glamm-gcg} pre-filled all of them
     * ("A cat"), the earlier finetuned version the two test items (right caption, the dog's mask 3 px off where the base's is 10 px off);
     * annotators corrected and a reviewer accepted every item; both versions evaluated on the accepted test items.
     */
    private void seed() {
        if (datasets.find(DATASET).isPresent()) {
            return;
        }
        DatasetSummary dataset = datasets.create(DATASET, "Dashcam frames, GLaMM pre-filled", "admin");
        long base = models.getOrCreate(BASE).id();
        long earlier = models.getOrCreate(EARLIER).id();
        for (int i = 0; i < 6; i++) {
            boolean test = i >= 4;
            String name = "frame_" + (100 + i) + ".png";
            ItemInfo item = datasets.ensureItem(datasets.addImage(dataset.id(), name,
                    images.store(new ByteArrayInputStream(png(i)), name), "dashcam", test ? Split.TEST : Split.TRAIN));
            Revision pre = revisions.append(new NewRevision(item.id(), null, caption("A cat on grass.", 10), Origin.MODEL,
                    "worker", base, "seed", List.of(), Map.of(), H, W));
            if (test) {
                pre = revisions.append(new NewRevision(item.id(), pre.id(), caption("A dog on grass.", 3), Origin.MODEL,
                        "worker", earlier, "seed", List.of(), Map.of(), H, W));
            }
            revisions.append(new NewRevision(item.id(), pre.id(), caption("A dog on grass.", 0), Origin.HUMAN,
                    "annotator", null, "seed", List.of(), Map.of("activeSeconds", test ? 14.0 : 45.0), H, W));
            datasets.setStatus(item.id(), ItemStatus.ACCEPTED);
        }
        evaluations.evaluate(DATASET, BASE, null, "admin");
        evaluations.evaluate(DATASET, EARLIER, null, "admin");
    }

    /** The caption with "A dog"/"A cat" masked by a box shifted right by {@code shift} pixels and "grass" exact. */
    private static GroundedCaption caption(String text, int shift) {
        return new GroundedCaption(text, List.of(
                new PhraseSpan(0, 5, text.substring(0, 5), List.of(box(8 + shift, 8, 20, 16))),
                new PhraseSpan(9, 14, "grass", List.of(box(0, 32, W, 16)))));
    }

    private static MaskRle box(int x, int y, int w, int h) {
        return new MaskRle(H, W, Rle.fromBbox(new double[] {x, y, w, h}, H, W).toCompressedString());
    }

    private static byte[] png(int seed) {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(120 + seed * 20, 170, 230));
        g.fillRect(0, 0, W, 32);
        g.setColor(new Color(60, 150 + seed * 10, 60));
        g.fillRect(0, 32, W, 16);
        g.setColor(new Color(140, 90, 40));
        g.fillRect(8, 8, 20, 16);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

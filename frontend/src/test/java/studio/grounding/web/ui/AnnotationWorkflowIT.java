package studio.grounding.web.ui;

import static studio.grounding.web.ui.Chromium.SCREENSHOTS;
import static studio.grounding.web.ui.EditorPage.EDITOR;
import static studio.grounding.web.ui.EditorPage.client;
import static studio.grounding.web.ui.EditorPage.listenForMaskEdits;
import static studio.grounding.web.ui.EditorPage.stroke;
import static studio.grounding.web.ui.EditorPage.waitForMasksDrawn;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ActiveProfiles;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.ItemEvent;
import studio.grounding.annotation.LockLostException;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersionService;
import studio.grounding.review.ReviewService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The annotation workflow of issue 3 end to end in real headless Chromium, on the demo photo {@code astronaut.png}
 * pre-filled by a model version: an annotator edits the caption (the spans move), brushes a mask, undoes and redoes,
 * reloads and finds the draft, submits with Ctrl+Enter while a second user sees the item read-only with its holder;
 * a reviewer (another browser context) sees the diff against the pre-fill and rejects with a comment on a phrase; the
 * annotator finds the item in the queue with the comment, opens it again and resubmits; the reviewer accepts, and the
 * item's events list every action with its author. A second test covers the magic wand and the polygon on the
 * selected mask, the comparison with the pre-fill, the shortcut list, and two conflicting saves that keep both
 * versions: the first answered with "take theirs", the second with "keep mine on top of theirs". Screenshots go to {@code target/screenshots/}: {@code workflow-editor.png}, {@code review.png},
 * {@code queue.png}, {@code conflict.png}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class AnnotationWorkflowIT {

    private static final String ANNOTATOR = "ann-e2e";
    private static final String REVIEWER = "rita-e2e";
    private static final String OTHER = "bob-e2e";
    private static final String PASSWORD = "e2e-password-123";

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
    @Autowired
    ReviewService review;
    @Autowired
    UserService users;
    @Autowired
    ModelVersionService models;

    private final List<BrowserContext> contexts = new ArrayList<>();

    @BeforeAll
    static void startChromium() {
        Chromium.assumeInstalled();
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

    @BeforeEach
    void accounts() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        for (var account : Map.of(ANNOTATOR, Role.ANNOTATOR, REVIEWER, Role.REVIEWER, OTHER, Role.ANNOTATOR)
                .entrySet()) {
            if (users.find(account.getKey()).isEmpty()) {
                users.create(account.getKey(), account.getKey(), PASSWORD, Set.of(account.getValue()));
            }
        }
    }

    @Test
    void annotateSubmitRejectResubmitAccept() throws IOException {
        ItemInfo item = seedPrefilled();
        Page ann = signIn(ANNOTATOR);
        Page rita = signIn(REVIEWER);
        Page bob = signIn(OTHER);
        try {
            annotateAndSubmit(ann, bob, item);
            rejectWithAPhraseComment(rita, item);
            findInQueueAndResubmit(ann, item);
            acceptAndCheckTheEvents(rita, item);
        } catch (RuntimeException | AssertionError e) {
            failureScreenshots("workflow", ann, rita, bob);
            throw e;
        } finally {
            closeContexts();
        }
    }

    private void annotateAndSubmit(Page ann, Page bob, ItemInfo item) {
        ann.navigate(url("/items/" + item.id() + "/edit"));
        Locator shuttle = ann.locator("grounding-editor li.phrase-row[data-phrase='2']");
        shuttle.waitFor();
        waitForMasksDrawn(ann);
        assertThat(shuttle.getAttribute("data-start")).isEqualTo("68");

        // a second user gets the item read-only, with who holds it
        bob.navigate(url("/items/" + item.id() + "/edit"));
        assertThat(bob.locator("grounding-editor #lock-message").innerText())
                .startsWith("Read-only: held by " + ANNOTATOR + " since");
        assertThat(bob.locator("grounding-editor textarea#caption").getAttribute("readonly")).isNotNull();
        assertThat(bob.locator("grounding-editor #submit").isDisabled()).isTrue();

        // type before the phrases: their spans move
        Locator caption = ann.locator("grounding-editor textarea#caption");
        caption.click();
        ann.evaluate("() => " + EDITOR + ".shadowRoot.querySelector('textarea').setSelectionRange(0, 0)");
        ann.keyboard().type("Look: ");
        assertThat(caption.inputValue()).startsWith("Look: A woman in an orange spacesuit");
        assertThat(shuttle.getAttribute("data-start")).isEqualTo("74");
        assertThat(shuttle.getAttribute("data-end")).isEqualTo("95");

        // brush the woman's mask, undo (as it was), redo (brushed again)
        ann.locator("grounding-editor li.phrase-row[data-phrase='0'] .phrase-text").click();
        ann.keyboard().press("b");
        long before = area(ann, 0);
        listenForMaskEdits(ann);
        stroke(ann, 20, 20, 120, 30);
        ann.waitForFunction("() => window.__edits.length === 1");
        long brushed = area(ann, 0);
        assertThat(brushed).isGreaterThan(before + 500);
        ann.keyboard().press("Control+z");
        assertThat(area(ann, 0)).isEqualTo(before);
        ann.keyboard().press("Control+Shift+z");
        assertThat(area(ann, 0)).isEqualTo(brushed);

        // the draft reaches the server; after a reload it is back, caption, spans and mask
        ann.locator("grounding-editor #save-state[data-state='saved']").waitFor(new Locator.WaitForOptions()
                .setTimeout(10_000));
        await(() -> editing.draft(item.id(), ANNOTATOR).isPresent(), "the draft on the server");
        // the screenshot: nothing selected (every mask in its colour), tall enough for the changes against the pre-fill
        ann.keyboard().press("Escape");
        ann.mouse().move(5, 400);
        ann.setViewportSize(1440, 1000);
        ann.waitForTimeout(400);
        ann.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("workflow-editor.png")));
        ann.setViewportSize(1440, 860);
        ann.reload();
        shuttle.waitFor();
        waitForMasksDrawn(ann);
        assertThat(ann.locator("grounding-editor #notice").innerText()).contains("draft was restored");
        assertThat(caption.inputValue()).startsWith("Look: A woman");
        assertThat(shuttle.getAttribute("data-start")).isEqualTo("74");
        assertThat(area(ann, 0)).isEqualTo(brushed);

        // Ctrl+Enter submits
        ann.keyboard().press("Control+Enter");
        await(() -> status(item) == ItemStatus.SUBMITTED, "the item submitted");
        Revision submitted = revisions.latest(item.id()).orElseThrow();
        assertThat(submitted.author()).isEqualTo(ANNOTATOR);
        assertThat(submitted.caption().caption()).startsWith("Look: A woman");
    }

    private void rejectWithAPhraseComment(Page rita, ItemInfo item) {
        rita.navigate(url("/items/" + item.id() + "/review"));
        Locator inserted = rita.locator("#caption-diff .diff-inserted");
        inserted.first().waitFor();
        assertThat(inserted.allInnerTexts()).anySatisfy(t -> assertThat(t).contains("Look:"));
        assertThat(rita.locator("#phrase-changes .phrase-change-masks").first().innerText())
                .contains("changed (IoU");
        assertThat(rita.locator("#fix-and-accept").isVisible()).isTrue();
        rita.locator("vaadin-text-field.target-comment[data-target='phrase:0'] input")
                .fill("The mask spills into the sky at the top left");
        rita.keyboard().press("Tab");
        rita.locator("#review-comment textarea").fill("Please tidy the first mask");
        rita.keyboard().press("Tab");
        rita.evaluate("() => document.querySelector('#caption-diff').scrollIntoView({block: 'center'})");
        rita.waitForTimeout(300);
        rita.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("review.png")));
        rita.locator("#reject").click();
        await(() -> status(item) == ItemStatus.REJECTED, "the item rejected");
    }

    private void findInQueueAndResubmit(Page ann, ItemInfo item) {
        ann.navigate(url("/queue"));
        Locator comment = ann.locator("#my-queue vaadin-grid-cell-content",
                new Page.LocatorOptions().setHasText("The mask spills into the sky"));
        comment.first().waitFor();
        assertThat(comment.first().innerText()).contains("phrase:0").contains("(" + REVIEWER + ")");
        assertThat(ann.locator("#my-queue vaadin-grid-cell-content",
                new Page.LocatorOptions().setHasText("Please tidy the first mask")).count()).isPositive();
        ann.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("queue.png")));

        // REJECTED opens editable again, with the reviewer's comments above the editor
        ann.locator("#my-queue a[href='items/" + item.id() + "/edit']").click();
        ann.waitForURL("**/items/" + item.id() + "/edit");
        ann.locator("grounding-editor li.phrase-row[data-phrase='0']").waitFor();
        waitForMasksDrawn(ann);
        assertThat(ann.locator("#review-comments").innerText()).contains("Please tidy the first mask")
                .contains("The mask spills into the sky");
        // the comment on the phrase shows at that phrase (anchored to its stable id, issue 14)
        assertThat(ann.locator("grounding-editor li.phrase-row[data-phrase='0'] .review-note").innerText())
                .contains("The mask spills into the sky").contains(REVIEWER);
        assertThat(ann.locator("grounding-editor #submit").isDisabled()).isFalse();
        assertThat(ann.locator("grounding-editor #lock-message").count()).isZero();
        long first = revisions.latest(item.id()).orElseThrow().id();
        ann.keyboard().press("Control+Enter");
        await(() -> status(item) == ItemStatus.SUBMITTED, "the item submitted again");
        assertThat(revisions.latest(item.id()).orElseThrow().parentId()).isEqualTo(first);
    }

    private void acceptAndCheckTheEvents(Page rita, ItemInfo item) {
        // "Fix and accept…" opens the editor, whose submit says so; back without changing anything
        rita.navigate(url("/items/" + item.id() + "/review"));
        rita.locator("#fix-and-accept").click();
        rita.waitForURL("**/items/" + item.id() + "/edit");
        Locator submit = rita.locator("grounding-editor #submit");
        submit.waitFor();
        assertThat(submit.innerText()).isEqualTo("Fix and accept");
        assertThat(submit.isDisabled()).isFalse();
        rita.navigate(url("/items/" + item.id() + "/review"));
        rita.locator("#accept").click();
        await(() -> status(item) == ItemStatus.ACCEPTED, "the item accepted");
        rita.locator("#history li.event[data-kind='ACCEPTED']").waitFor();
        String history = rita.locator("#history").innerText();
        assertThat(history).contains(ANNOTATOR + " · submitted").contains(REVIEWER + " · rejected")
                .contains(REVIEWER + " · commented · phrase:0").contains(REVIEWER + " · accepted");

        List<String> events = review.events(item.id()).stream().map(AnnotationWorkflowIT::describe).toList();
        assertThat(events).containsExactly("SUBMITTED by " + ANNOTATOR, "REJECTED by " + REVIEWER,
                "COMMENTED by " + REVIEWER, "SUBMITTED by " + ANNOTATOR, "ACCEPTED by " + REVIEWER);
    }

    @Test
    void wandPolygonCompareShortcutsAndAConflictThatKeepsBoth() throws IOException {
        ItemInfo item = seedPrefilled();
        Page ann = signIn(ANNOTATOR);
        try {
            ann.navigate(url("/items/" + item.id() + "/edit"));
            Locator shuttle = ann.locator("grounding-editor li.phrase-row[data-phrase='2']");
            shuttle.waitFor();
            waitForMasksDrawn(ann);

            // ? lists every shortcut
            ann.keyboard().press("?");
            assertThat(ann.locator("grounding-editor #shortcuts").innerText()).contains("Ctrl+Enter")
                    .contains("magic wand").contains("polygon");
            ann.keyboard().press("Escape");
            assertThat(ann.locator("grounding-editor #shortcuts").count()).isZero();

            // the wand and the polygon add to the selected mask (the shuttle's)
            shuttle.locator(".phrase-text").click();
            String key = String.valueOf(ann.evaluate("() => " + EDITOR + ".selectedMask"));
            assertThat(key).isEqualTo(String.valueOf(ann.evaluate("() => " + EDITOR
                    + ".state.phrases[2].masks[0]")));
            listenForMaskEdits(ann);
            long start = area(ann, 2);
            ann.keyboard().press("w");
            assertThat(toolPressed(ann, "wand")).isTrue();
            double[] p = client(ann, 500, 150);
            ann.mouse().click(p[0], p[1]);
            ann.waitForFunction("() => window.__edits.length === 1");
            assertThat(String.valueOf(ann.evaluate("() => window.__edits[0]"))).isEqualTo(key);
            long wanded = area(ann, 2);
            assertThat(wanded).isGreaterThan(start);

            ann.keyboard().press("p");
            assertThat(toolPressed(ann, "polygon-add")).isTrue();
            for (int[] xy : new int[][] {{462, 420}, {505, 420}, {505, 500}, {462, 500}, {462, 420}}) {
                double[] c = client(ann, xy[0], xy[1]);
                ann.mouse().click(c[0], c[1]);
                ann.waitForTimeout(80);
            }
            ann.waitForFunction("() => window.__edits.length === 2");
            assertThat(String.valueOf(ann.evaluate("() => window.__edits[1]"))).isEqualTo(key);
            assertThat(area(ann, 2)).isGreaterThan(wanded);

            // compare with the pre-fill: outlines on, and the summary names the changed mask
            ann.keyboard().press("c");
            assertThat(ann.locator("grounding-editor #compare").getAttribute("aria-pressed")).isEqualTo("true");
            assertThat(ann.locator("grounding-editor #compare-summary").innerText()).contains("Masks changed")
                    .contains("a model space shuttle");

            ann.locator("grounding-editor #save-state[data-state='saved']").waitFor(new Locator.WaitForOptions()
                    .setTimeout(10_000));
            await(() -> editing.draft(item.id(), ANNOTATOR).isPresent(), "the draft on the server");

            // meanwhile another user stores a newer revision; the annotator, with unsaved changes, submits: the
            // conflict shows theirs and keeps mine as my draft; take theirs
            Revision base = revisions.latest(item.id()).orElseThrow();
            Revision theirs = storeAs(OTHER, item, base.id(), appended(base, " Bob was here."));
            Locator caption = ann.locator("grounding-editor textarea#caption");
            typeAtTheEndAndSubmit(ann, " Mine.");
            Locator banner = ann.locator("grounding-editor #conflict");
            banner.waitFor();
            assertThat(banner.innerText()).contains(OTHER).contains("Bob was here.")
                    .contains("Nothing was overwritten");
            assertThat(caption.inputValue()).endsWith("helmet. Mine.");
            assertThat(revisions.latest(item.id()).orElseThrow().id()).isEqualTo(theirs.id());
            assertThat(editing.draft(item.id(), ANNOTATOR).orElseThrow().documentJson()).contains(" Mine.");
            ann.locator("grounding-editor #take-theirs").click();
            assertThat(ann.locator("grounding-editor #notice").innerText()).contains("You now have their version");
            assertThat(banner.count()).isZero();
            assertThat(caption.inputValue()).endsWith("Bob was here.");
            await(() -> editing.draft(item.id(), ANNOTATOR).isEmpty(), "my draft discarded");

            // again, and this time keep mine on top of theirs, then submit
            Revision theirsAgain = storeAs(OTHER, item, theirs.id(), appended(theirs, " Bob again."));
            typeAtTheEndAndSubmit(ann, " Mine.");
            banner.waitFor();
            assertThat(banner.innerText()).contains("Bob again.");
            ann.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("conflict.png")));
            ann.locator("grounding-editor #keep-mine").click();
            assertThat(ann.locator("grounding-editor #notice").innerText()).contains("on top of theirs");
            ann.keyboard().press("Control+Enter");
            await(() -> status(item) == ItemStatus.SUBMITTED, "the item submitted");
            Revision mine = revisions.latest(item.id()).orElseThrow();
            assertThat(mine.author()).isEqualTo(ANNOTATOR);
            assertThat(mine.parentId()).isEqualTo(theirsAgain.id());
            assertThat(mine.caption().caption()).endsWith("helmet. Bob was here. Mine.");
            assertThat(revisions.get(theirs.id()).orElseThrow().caption().caption()).endsWith("Bob was here.");
            assertThat(revisions.get(theirsAgain.id()).orElseThrow().caption().caption()).endsWith("Bob again.");
        } catch (RuntimeException | AssertionError e) {
            failureScreenshots("tools", ann);
            throw e;
        } finally {
            closeContexts();
        }
    }

    private static void typeAtTheEndAndSubmit(Page page, String text) {
        page.locator("grounding-editor textarea#caption").click();
        page.keyboard().press("Control+End");
        page.keyboard().type(text);
        page.keyboard().press("Control+Enter");
    }

    /** The revision's document with text appended to its caption (the spans stay). */
    private static EditorDocument appended(Revision revision, String text) {
        EditorDocument doc = EditorDocument.of(revision.caption());
        return new EditorDocument(doc.caption() + text, doc.phrases(), doc.unlinkedMasks(), List.of());
    }

    /** A newer revision by another user, stored while the annotator's editor is open (their lock set aside). */
    private Revision storeAs(String user, ItemInfo item, long base, EditorDocument doc) {
        for (int attempt = 0; ; attempt++) {
            editing.release(item.id(), ANNOTATOR);
            try {
                SubmitResult result = editing.storeRevision(item.id(), user, base, doc, 2);
                assertThat(result).isInstanceOf(SubmitResult.Submitted.class);
                return ((SubmitResult.Submitted) result).revision();
            } catch (LockLostException e) {
                if (attempt > 5) {
                    throw e;
                }
            }
        }
    }

    private static String describe(ItemEvent e) {
        return e.kind() + " by " + e.author();
    }

    private Page signIn(String user) {
        // the reviewer's page is taller: the whole side panel, caption to buttons, fits in the screenshot
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1440, REVIEWER.equals(user) ? 1150 : 860));
        contexts.add(context);
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.onPageError(e -> System.out.println(user + ": browser page error: " + e));
        Chromium.signIn(page, url(""), user, PASSWORD);
        return page;
    }

    private void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    private static void failureScreenshots(String name, Page... pages) {
        for (int i = 0; i < pages.length; i++) {
            try {
                pages[i].screenshot(new Page.ScreenshotOptions()
                        .setPath(SCREENSHOTS.resolve(name + "-failure-" + i + ".png")));
            } catch (RuntimeException ignored) {
                // the page may be gone; the assertion error matters
            }
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private ItemStatus status(ItemInfo item) {
        return datasets.item(item.id()).orElseThrow().status();
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

    private static boolean toolPressed(Page page, String tool) {
        return "true".equals(page.locator("grounding-editor button[data-tool='" + tool + "']")
                .getAttribute("aria-pressed"));
    }

    /** The pixels of phrase {@code phrase}'s first mask, as the browser holds it. */
    private static long area(Page page, int phrase) {
        return ((Number) page.evaluate("(i) => { const ed = " + EDITOR + "; const m = ed.doc.mask("
                + "ed.state.phrases[i].masks[0]); return m.bitmap(ed.codec).reduce((a, v) => a + v, 0); }",
                phrase)).longValue();
    }

    /** The astronaut photo with its demo caption as a MODEL revision of a model version: a pre-filled item. */
    private ItemInfo seedPrefilled() throws IOException {
        JsonNode astronaut;
        try (InputStream in = new ClassPathResource("demo/demo-captions.json").getInputStream()) {
            astronaut = JsonMapper.builder().build().readTree(in).get(0);
        }
        String fileName = astronaut.get("file_name").asString();
        StoredImage stored;
        try (InputStream in = new ClassPathResource("demo/images/" + fileName).getInputStream()) {
            stored = images.store(in, fileName);
        }
        DatasetSummary dataset = datasets.create("workflow " + UUID.randomUUID(), "browser test", "admin");
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
                phrases, List.of()), Origin.MODEL, "worker", models.getOrCreate("glamm-e2e").id(), "glamm",
                List.of(), null, h, w));
        datasets.setStatus(item.id(), ItemStatus.PREFILLED);
        return datasets.item(item.id()).orElseThrow();
    }
}

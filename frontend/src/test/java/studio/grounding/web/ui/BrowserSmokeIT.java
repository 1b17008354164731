package studio.grounding.web.ui;

import static studio.grounding.web.ui.Chromium.SCREENSHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.LoadState;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;

/**
 * Smoke test in a real browser (Debian's Chromium, driven by Playwright) against the application on a random
 * port with the production frontend bundle: sign in, see the datasets, open one with its thumbnails.
 * Screenshots go to {@code target/screenshots/}. Skipped where there is no Chromium
 * ({@code apt-get install chromium}, or {@code -Dstudio.chromium=/path/to/chromium}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class BrowserSmokeIT {

    @LocalServerPort
    int port;
    @Autowired
    DatasetService datasets;
    @Autowired
    ImageStore images;

    @BeforeAll
    static void needsChromium() {
        Chromium.assumeInstalled();
    }

    @Test
    void signInSeeTheDatasetsAndOpenOne() throws IOException {
        seed();
        Files.createDirectories(SCREENSHOTS);
        String base = "http://127.0.0.1:" + port;

        try (Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 720));
            page.setDefaultTimeout(30_000);
            try {
                walkThrough(page, base);
            } catch (RuntimeException | AssertionError e) {
                page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("failure.png")));
                throw e;
            }
        }
    }

    private void walkThrough(Page page, String base) {
        // every page asks for the favicon, signed in or not: it is there (issue 14: a 404 on every page)
        APIResponse favicon = page.request().get(base + "/favicon.ico");
        assertThat(favicon.status()).isEqualTo(200);
        assertThat(favicon.headers().get("content-type")).startsWith("image/");
        List<String> missing = new ArrayList<>();
        page.onResponse(r -> {
            if (r.status() == 404) {
                missing.add(r.url());
            }
        });
        page.navigate(base + "/");
        page.waitForURL("**/login");
        page.locator("vaadin-login-form input[name='username']").fill("admin");
        page.locator("vaadin-login-form input[name='password']").fill("admin-test-password");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("login.png")));
        page.locator("vaadin-login-form vaadin-button[slot='submit']").click();

        page.waitForURL(url -> !url.contains("/login"));
        page.locator("vaadin-grid#datasets").getByText("GranD_f val").waitFor();
        page.locator("vaadin-grid#datasets").getByText("Accepted 18").waitFor();
        assertThat(page.locator("vaadin-side-nav-item").allInnerTexts())
                .anyMatch(text -> text.contains("Users")).anyMatch(text -> text.contains("API tokens"));
        assertThat(page.locator(".current-user").innerText()).isEqualTo("Administrator");
        page.waitForLoadState(LoadState.NETWORKIDLE);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("datasets.png")));

        page.locator("vaadin-grid#datasets").getByText("GranD_f val").click();
        page.waitForURL("**/datasets/**");
        page.locator("vaadin-grid#items").getByText("sa_000001.png").waitFor();
        // thumbnails come from /media/images with the login session
        page.waitForFunction("() => [...document.querySelectorAll('img.item-thumbnail')]"
                + ".filter(i => i.complete && i.naturalWidth > 0).length >= 5");
        page.waitForLoadState(LoadState.NETWORKIDLE);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dataset-items.png")));

        page.locator("vaadin-side-nav-item").getByText("API tokens").click();
        page.waitForURL("**/tokens");
        page.locator("vaadin-text-field#token-name input").fill("nightly export");
        page.locator("vaadin-button#create-token").click();
        page.locator("vaadin-dialog-overlay, vaadin-dialog").getByText("will not be shown again").waitFor();
        String secret = page.locator("vaadin-text-field#token-plaintext input").inputValue();
        assertThat(secret).isNotBlank();
        page.waitForFunction("() => !document.querySelector('[opening]')"); // the dialog's opening animation
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("token-created.png")));
        page.locator("vaadin-button#token-done").click();
        page.locator("vaadin-grid#tokens").getByText("nightly export").waitFor();
        assertThat(page.content()).doesNotContain(secret);

        page.locator("vaadin-side-nav-item").getByText("Users").click();
        page.waitForURL("**/users");
        page.locator("vaadin-grid#users").getByText("Administrator").waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("users.png")));

        page.locator("#logout").click();
        page.waitForURL("**/login");
        assertThat(missing).isEmpty();
    }

    private void seed() {
        if (datasets.find("GranD_f val").isPresent()) {
            return;
        }
        addDataset("GranD_f val", "GranD_f validation split",
                Map.of(ItemStatus.ACCEPTED, 18, ItemStatus.SUBMITTED, 6, ItemStatus.IN_PROGRESS, 4,
                        ItemStatus.PREFILLED, 8, ItemStatus.REJECTED, 2), 6);
        addDataset("RefCOCOg grounded", "RefCOCOg with GLaMM predictions",
                Map.of(ItemStatus.PREFILLED, 30, ItemStatus.IN_PROGRESS, 3), 12);
        datasets.create("Flickr30k entities", "Imported, not started", "admin");
    }

    private void addDataset(String name, String description, Map<ItemStatus, Integer> statuses, int fresh) {
        DatasetSummary dataset = datasets.create(name, description, "admin");
        int n = 0;
        for (ItemStatus status : ItemStatus.values()) {
            int count = status == ItemStatus.NEW ? fresh : statuses.getOrDefault(status, 0);
            for (int i = 0; i < count; i++) {
                n++;
                String fileName = "sa_%06d.png".formatted(n);
                StoredImage stored = images.store(new ByteArrayInputStream(png(n + name.hashCode())), fileName);
                ImageInfo image = datasets.addImage(dataset.id(), fileName, stored, "smoke test",
                        n % 5 == 0 ? Split.TEST : Split.VAL);
                ItemInfo item = datasets.ensureItem(image);
                if (status != ItemStatus.NEW) {
                    datasets.setStatus(item.id(), status);
                }
            }
        }
    }

    /** A small gradient picture, different per seed. */
    private static byte[] png(int seed) {
        BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        float hue = Math.floorMod(seed * 37, 360) / 360f;
        g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.55f, 0.95f), 160, 120,
                Color.getHSBColor(hue + 0.15f, 0.7f, 0.55f)));
        g.fillRect(0, 0, 160, 120);
        g.setColor(new Color(255, 255, 255, 160));
        g.fillOval(40 + seed % 40, 30, 60, 60);
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package studio.grounding.web.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium for the browser tests, driven by Playwright: never a browser download, flags that keep it off
 * the network, and the sign-in every test starts with. {@code -Dstudio.chromium=/path} picks another Chromium.
 */
final class Chromium {

    static final Path EXECUTABLE = Path.of(System.getProperty("studio.chromium", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Chromium must talk to nobody but the application on loopback. */
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private Chromium() {
    }

    /** Skips the test where there is no Chromium ({@code apt-get install chromium}). */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(EXECUTABLE), "no Chromium at " + EXECUTABLE);
    }

    static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    static Browser launch(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE).setHeadless(true).setArgs(FLAGS));
    }

    /** Signs in through the login form and waits until the application has left it. */
    static void signIn(Page page, String base, String user, String password) {
        page.navigate(base + "/login");
        page.locator("vaadin-login-form input[name='username']").fill(user);
        page.locator("vaadin-login-form input[name='password']").fill(password);
        page.locator("vaadin-login-form vaadin-button[slot='submit']").click();
        page.waitForURL(u -> !u.contains("/login"));
    }
}

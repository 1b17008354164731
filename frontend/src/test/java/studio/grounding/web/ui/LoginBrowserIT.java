package studio.grounding.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * The real login form in Chromium: it posts Spring's CSRF token (from the page's meta tags) and signs in; a wrong
 * password shows the one generic message; a POST to /login without the token, from the same browser session and
 * with the right password, signs nobody in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class LoginBrowserIT {

    private static final String PASSWORD = "browser login passphrase";

    @LocalServerPort
    int port;
    @Autowired
    UserService users;

    @BeforeAll
    static void needsChromium() {
        Chromium.assumeInstalled();
    }

    @Test
    void theLoginFormSendsTheCsrfTokenAndAWrongPasswordGetsTheGenericMessage() {
        String user = "lena-" + Long.toString(System.nanoTime(), 36);
        users.create(user, "Lena", PASSWORD, Set.of(Role.ANNOTATOR));
        String base = "http://127.0.0.1:" + port;
        try (Playwright playwright = Chromium.playwright();
             Browser browser = Chromium.launch(playwright)) {
            Page page = browser.newPage();
            page.setDefaultTimeout(30_000);

            page.navigate(base + "/login");
            page.locator("vaadin-login-form input[name='username']").fill(user);
            page.locator("vaadin-login-form input[name='password']").fill("not the password");
            Request wrong = page.waitForRequest(r -> r.method().equals("POST") && r.url().endsWith("/login"),
                    () -> page.locator("vaadin-login-form vaadin-button[slot='submit']").click());
            assertThat(wrong.postData()).contains("_csrf=");
            page.waitForURL("**/login?error");
            page.getByText(LoginView.ERROR_MESSAGE).waitFor();
            page.getByText("Wrong user name or password").waitFor();

            // the page's session cookie, the right password, but no token: refused (403, which the servlet
            // container's error page turns into a redirect to the login page), and nobody is signed in
            APIResponse refused = page.request().post(base + "/login", RequestOptions.create()
                    .setForm(FormData.create().set("username", user).set("password", PASSWORD))
                    .setMaxRedirects(0));
            assertThat(refused.status()).isIn(302, 403);
            if (refused.status() == 302) {
                assertThat(refused.headers().get("location")).endsWith("/login");
            }
            page.navigate(base + "/");
            page.waitForURL("**/login");

            Chromium.signIn(page, base, user, PASSWORD);
            page.locator(".current-user").getByText("Lena").waitFor();
        }
    }
}

package studio.grounding.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.test.context.ActiveProfiles;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * The API's errors in the whole web application, with the UI's filter chain and Vaadin's catch-all mapping present:
 * bad input, unknown paths and unexpected faults answer problem details with their status — never a redirect to
 * the login page, never the UI's HTML with 200.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(ApiErrorPagesWebTest.Failures.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiErrorPagesWebTest {

    @LocalServerPort
    int port;
    @Autowired
    UserService users;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    ImageStore images;

    final HttpClient http = HttpClient.newHttpClient(); // follows no redirects
    String admin;
    ItemInfo submitted;

    @BeforeAll
    void data() throws Exception {
        users.create("web-errors", null, "long enough password", Set.of(Role.ADMIN));
        admin = tokens.issue("web-errors", "test").plaintext();
        DatasetSummary ds = datasets.getOrCreate("web-errors", "test");
        BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        StoredImage stored = images.store(new ByteArrayInputStream(png.toByteArray()), "a.png");
        ImageInfo info = datasets.addImage(ds.id(), "a.png", stored, "test", Split.TRAIN);
        submitted = datasets.ensureItem(info);
        revisions.append(new NewRevision(submitted.id(), null, new GroundedCaption("A dog.", List.of()), Origin.HUMAN,
                "someone", null, "test", List.of(), null, 6, 8));
        datasets.setStatus(submitted.id(), ItemStatus.SUBMITTED);
    }

    @Test
    void badInputIs400ProblemDetailsNamingTheField() throws Exception {
        requireTokensWork();
        assertProblem(send("POST", "/api/v1/items/" + submitted.id() + "/review/reject",
                "{\"comment\":\"x\",\"targets\":[null]}"), 400, "targets[0]");
        assertProblem(send("POST", "/api/v1/users",
                "{\"username\":\"x-web\",\"password\":\"long enough password\",\"roles\":[null]}"), 400, "roles[0]");
        assertProblem(send("POST", "/api/v1/items/" + submitted.id() + "/review/reject",
                "{\"comment\":\"x\",\"targets\":[{\"target\":\"phrase:99\",\"comment\":\"c\"}]}"), 400, "targets[0].target");
    }

    @Test
    void unknownPathsAre404ProblemDetailsNotTheUisPage() throws Exception {
        requireTokensWork();
        for (String path : List.of("/actuator/nonsense", "/media/images/" + submitted.image().contentHash() + "/",
                "/media/nonsense", "/api/v1/nonsense")) {
            assertProblem(send("GET", path, null), 404, null);
        }
    }

    @Test
    void anUnexpectedFaultIs500ProblemDetailsNotARedirect() throws Exception {
        for (String path : List.of("/api/v1/web-test-failure", "/media/web-test-failure", "/actuator/web-test-failure")) {
            HttpResponse<String> response = send("GET", path, null);
            assertProblem(response, 500, "logged on the server");
            assertThat(response.body()).doesNotContain("hunter2");
        }
    }

    /** Bearer tokens work in the web application (with Vaadin's security context strategy), or nothing above can. */
    private void requireTokensWork() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/datasets", null);
        assertThat(response.statusCode()).as("a valid Bearer token in the web application: " + response.body())
                .isEqualTo(200);
    }

    private void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status).doesNotContain("<html").doesNotContain("\tat ");
        if (detail != null) {
            assertThat(response.body()).contains(detail);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + admin)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A filter that fails before security (so without any token) with a message that must not leak: the exception
     * reaches the servlet error page, whose dispatch once went through the UI's chain and came back as a redirect.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class Failures {

        @Bean
        FilterRegistrationBean<Filter> failingFilter() {
            Filter failing = (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                if (http.getDispatcherType() == DispatcherType.REQUEST && http.getRequestURI().endsWith("/web-test-failure")) {
                    throw new UnsupportedOperationException("password=hunter2");
                }
                chain.doFilter(request, response);
            };
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(failing);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}

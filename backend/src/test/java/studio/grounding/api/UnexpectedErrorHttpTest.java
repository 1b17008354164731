package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.security.Role;

/**
 * An unexpected exception (a bug) behind an API endpoint, thrown by its controller or by a servlet filter after
 * security (so that it reaches the servlet error page): 500 problem details with a generic detail, never a
 * redirect, never the exception's message or a stack trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(UnexpectedErrorHttpTest.Failures.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnexpectedErrorHttpTest {

    static final String SECRET = "jdbc:postgresql://secret-host/password=hunter2";

    @LocalServerPort
    int port;
    @Autowired
    WebApplicationContext context;

    final HttpClient http = HttpClient.newHttpClient();
    ApiFixture fx;

    @BeforeAll
    void users() {
        fx = new ApiFixture(context);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/test-failures/controller", "/api/v1/test-failures/filter",
            "/media/test-failures/filter", "/actuator/test-failures/filter"})
    void isA500ProblemWithoutDetailsOfTheFault(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", fx.bearer(Role.ADMIN)).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"status\":500").contains("logged on the server")
                .doesNotContain("hunter2").doesNotContain("secret-host").doesNotContain("UnsupportedOperationException")
                .doesNotContain("\tat ");
    }

    /** A controller and a filter that fail with a message that must not leak. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Failures {

        @Bean
        FailingController failingController() {
            return new FailingController();
        }

        @Bean
        Filter failingFilter() {
            return (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                if (http.getDispatcherType() == DispatcherType.REQUEST && http.getRequestURI().endsWith("/test-failures/filter")) {
                    throw new UnsupportedOperationException("cannot reach " + SECRET);
                }
                chain.doFilter(request, response);
            };
        }
    }

    @RestController
    static class FailingController {

        @GetMapping("/api/v1/test-failures/controller")
        String fail() {
            throw new UnsupportedOperationException("cannot reach " + SECRET);
        }
    }
}

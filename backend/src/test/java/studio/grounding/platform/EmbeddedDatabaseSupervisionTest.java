package studio.grounding.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * The platform as it runs for users (no test profile: the app's durable settings) on its embedded PostgreSQL, over
 * real HTTP: the server runs with fsync, synchronous commit and full page writes on; when its postmaster is killed
 * (kill -9), the API answers 503 problem details (never a redirect to the login page) and health is DOWN, until the
 * supervisor has restarted it on the same directory; then everything committed before is there and writes work.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "studio.data-dir=target/test-data/supervision-${random.uuid}", "studio.embedded-database.clean=true",
        "studio.demo.enabled=false", "studio.admin-password=admin-test-password", "logging.level.root=WARN",
        "vaadin.launch-browser=false"})
class EmbeddedDatabaseSupervisionTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EmbeddedDatabase database;
    @Autowired
    EmbeddedDatabaseSupervisor supervisor;
    @Autowired
    UserService users;
    @Autowired
    ApiTokenService tokens;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theAppRunsDurable() {
        assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
        assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
        assertThat(jdbc.queryForObject("show full_page_writes", String.class)).isEqualTo("on");
    }

    @Test
    void aKilledPostmasterIsRestartedAndMeanwhileTheApiAnswers503AndHealthIsDown() throws Exception {
        users.create("supervised-admin", null, "a-long-enough-password", Set.of(Role.ADMIN));
        String admin = tokens.issue("supervised-admin", "admin").plaintext();
        for (int i = 0; i < 5; i++) {
            tokens.issue("supervised-admin", "before-" + i);
        }
        assertThat(get("/actuator/health", admin).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health", admin).body()).contains("\"embeddedDatabase\"");
        long pid = database.postmasterPid();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();   // SIGKILL

        List<String> seen = new ArrayList<>();
        boolean saw503 = false;
        boolean sawHealthDown = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> response;
        while (true) {
            response = get("/api/v1/tokens", admin);
            if (response.statusCode() == 503) {
                saw503 = true;
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(response.body()).contains("\"status\":503");
                HttpResponse<String> health = get("/actuator/health", admin);
                if (health.statusCode() == 503 && health.body().contains("DOWN")) {
                    sawHealthDown = true;
                }
            } else {
                seen.add(response.statusCode() + "");
            }
            if (response.statusCode() == 200 && saw503) {
                break;
            }
            assertThat(System.nanoTime()).as("back within 60 s; statuses seen %s", seen).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(seen).as("only 200 (before the death was noticed) or 503, never a redirect or a 500").containsOnly("200");
        assertThat(saw503).isTrue();
        assertThat(sawHealthDown).isTrue();
        assertThat(database.postmasterPid()).isNotEqualTo(pid);
        assertThat(supervisor.restarts()).isEqualTo(1);

        assertThat(response.body()).contains("before-0", "before-4");
        assertThat(get("/actuator/health", admin).statusCode()).isEqualTo(200);
        tokens.issue("supervised-admin", "after");
        assertThat(get("/api/v1/tokens", admin).body()).contains("\"after\"");
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

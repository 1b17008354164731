package studio.grounding.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.grounding.api.GrandfExport;

/**
 * A browser-free smoke test of the packaged jar as a new user meets it: started with {@code java -jar} as
 * {@code ./studio} starts it, the login page answers, {@code ./studio token create} gives the admin a token that
 * works on the REST API and on the operations endpoint, and the demo dataset exports as GranD_f.
 */
@ExtendWith(PackagedPlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedJarSmokeIT {

    PackagedPlatform jar;
    String adminToken;

    @BeforeAll
    void token(PackagedPlatform jar) {
        this.jar = jar;
        adminToken = jar.createToken("admin", "smoke test");
    }

    @Test
    void theLoginPageIsServed() throws Exception {
        HttpResponse<String> login = jar.get("/login", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).containsIgnoringCase("<html");
    }

    @Test
    void aTokenFromTheCliListsTheDatasets() throws Exception {
        HttpResponse<String> datasets = jar.get("/api/v1/datasets", adminToken);
        assertThat(datasets.statusCode()).as(datasets.body() + "\n" + jar.logTail()).isEqualTo(200);
        assertThat(datasets.body()).contains("Demo: CC0 photos");
        assertThat(datasets.headers().firstValue("Set-Cookie")).as("a token request gets no session").isEmpty();

        assertThat(jar.get("/api/v1/datasets", null).statusCode()).isEqualTo(401);
    }

    @Test
    void theDemoDatasetExportsAsValidGrandf() throws Exception {
        HttpResponse<String> export = jar.get("/api/v1/datasets/Demo:%20CC0%20photos/export/grandf", adminToken);
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        GrandfExport.assertValidDemoExport(export.body());
    }

    @Test
    void healthNeedsAnAdminToken() throws Exception {
        HttpResponse<String> health = jar.get("/actuator/health", adminToken);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");

        HttpResponse<String> anonymous = jar.get("/actuator/health", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("UP");
    }
}

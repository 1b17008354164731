package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.grounding.platform.PackagedPlatform;
import studio.grounding.platform.PackagedPlatformExtension;

/**
 * The dataset export API of the packaged jar, as a curator's script uses it: an admin adds a curator through the
 * users API, the curator's token comes from {@code ./studio token create}, and the demo dataset's GranD_f export
 * streams over real HTTP and is a valid GranD_f file.
 */
@ExtendWith(PackagedPlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedJarExportIT {

    static final String DEMO = "/api/v1/datasets/Demo:%20CC0%20photos";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    PackagedPlatform jar;
    String curatorToken;

    @BeforeAll
    void curator(PackagedPlatform jar) throws Exception {
        this.jar = jar;
        String admin = jar.createToken("admin", "export test setup");
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(jar.url() + "/api/v1/users"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"export-curator\",\"password\":\"a long password\","
                        + "\"roles\":[\"CURATOR\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        curatorToken = jar.createToken("export-curator", "export script");
    }

    @Test
    void aCuratorTokenStreamsTheDemoDatasetAsValidGrandf() throws Exception {
        HttpResponse<String> export = get(DEMO + "/export/grandf", curatorToken);

        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        assertThat(GrandfExport.assertValidDemoExport(export.body())).as("phrases in the demo export").isGreaterThan(8);
    }

    @Test
    void withoutATokenTheExportIs401AndNothingStreams() throws Exception {
        HttpResponse<String> export = get(DEMO + "/export/grandf", null);

        assertThat(export.statusCode()).isEqualTo(401);
        assertThat(export.body()).doesNotContain("file_name");
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jar.url() + path)).timeout(Duration.ofMinutes(2));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

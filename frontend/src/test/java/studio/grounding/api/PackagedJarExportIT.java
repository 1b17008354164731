package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
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

    PackagedPlatform jar;
    String curatorToken;

    @BeforeAll
    void curator(PackagedPlatform jar) throws Exception {
        this.jar = jar;
        String admin = jar.createToken("admin", "export test setup");
        HttpResponse<String> created = jar.post("/api/v1/users", admin, "{\"username\":\"export-curator\","
                + "\"password\":\"a long password\",\"roles\":[\"CURATOR\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        curatorToken = jar.createToken("export-curator", "export script");
    }

    @Test
    void aCuratorTokenStreamsTheDemoDatasetAsValidGrandf() throws Exception {
        HttpResponse<String> export = jar.get(DEMO + "/export/grandf", curatorToken);

        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        assertThat(GrandfExport.assertValidDemoExport(export.body())).as("phrases in the demo export").isGreaterThan(8);
    }

    @Test
    void withoutATokenTheExportIs401AndNothingStreams() throws Exception {
        HttpResponse<String> export = jar.get(DEMO + "/export/grandf", null);

        assertThat(export.statusCode()).isEqualTo(401);
        assertThat(export.body()).doesNotContain("file_name");
    }
}

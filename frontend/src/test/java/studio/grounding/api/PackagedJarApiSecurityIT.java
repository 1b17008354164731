package studio.grounding.api;

import com.jayway.jsonpath.JsonPath;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.http.HttpMethod;
import studio.grounding.platform.PackagedPlatform;
import studio.grounding.platform.PackagedPlatformExtension;
import studio.grounding.security.Role;

/**
 * {@link ApiSecurityTable}, the security table of every {@code /api} and {@code /media} endpoint, against the
 * packaged platform jar ({@code java -jar grounding-studio.jar}, the web UI and its security included) over real
 * HTTP: what users run, not the backend alone. The table's users, tokens and data go into the jar's database through
 * a context attached to it, as a CLI job attaches.
 */
@ExtendWith(PackagedPlatformExtension.class)
class PackagedJarApiSecurityIT extends ApiSecurityContract {

    ApiSecurityTable table;
    ApiSecurityTable.Caller caller;

    @BeforeAll
    void data(PackagedPlatform jar) {
        table = new ApiSecurityTable(jar.attached());
        caller = ApiSecurityTable.http(jar.url());
    }

    @Override
    ApiSecurityTable table() {
        return table;
    }

    @Override
    ApiSecurityTable.Caller caller() {
        return caller;
    }

    /** The jar's own description of its REST API (OpenAPI) lists nothing the table lacks. */
    @Test
    void everyEndpointTheJarDocumentsIsInTheTable() throws Exception {
        ApiSecurityTable.Answer openApi = caller.call(HttpMethod.GET, "/api/v1/openapi", table.fx.bearer(Role.ADMIN), null);
        org.assertj.core.api.Assertions.assertThat(openApi.status()).as(openApi.body()).isEqualTo(200);
        Map<String, Map<String, Object>> paths = JsonPath.read(openApi.body(), "$.paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(m -> Set.of("get", "put", "post", "delete", "patch").contains(m))
                .forEach(m -> documented.add(m.toUpperCase() + " " + path)));
        org.assertj.core.api.Assertions.assertThat(documented).as("operations in the jar's OpenAPI").isNotEmpty();
        table.covers(documented, "the packaged jar's OpenAPI document");
    }
}

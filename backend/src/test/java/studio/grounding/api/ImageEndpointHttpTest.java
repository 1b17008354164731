package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import studio.grounding.platform.StudioProperties;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * Traversal attempts against the real servlet container on loopback, where encoded slashes, dot segments
 * and backslashes are decoded and normalised by Tomcat and Spring Security's firewall before any controller
 * sees them: never 200, never a byte of a file outside the image store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageEndpointHttpTest {

    @LocalServerPort
    int port;
    @Autowired
    StudioProperties properties;
    @Autowired
    UserService users;
    @Autowired
    ApiTokenService tokens;

    final HttpClient http = HttpClient.newHttpClient();
    String token;

    @BeforeAll
    void setUp() throws Exception {
        users.create("http-reader", null, "long enough, really", Set.of(Role.ANNOTATOR));
        token = tokens.issue("http-reader", "http").plaintext();
        Files.writeString(properties.dataDir().resolve("secret.txt"), "not an image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2Fsecret.txt", "..%2F..%2Fsecret.txt", "%2e%2e%2fsecret.txt", "..%5Csecret.txt",
            "%2e%2e/secret.txt", "../secret.txt", "../../secret.txt", "..;/secret.txt", "%252e%252e%252fsecret.txt",
            "images/..%2F..%2Fsecret.txt", "0000000000000000000000000000000000000000000000000000000000000000"})
    void neverServesAFileOutsideTheStore(String name) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/media/images/" + name))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(name).isIn(400, 404);
        assertThat(response.body()).doesNotContain("not an image");
    }
}

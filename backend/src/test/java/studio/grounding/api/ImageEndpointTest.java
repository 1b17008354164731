package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.platform.StudioProperties;
import studio.grounding.security.Role;

/** Image bytes by content hash only: right bytes and type, caching, 404 for unknown hashes, no way out of the store. */
@ApiTest
class ImageEndpointTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    StudioProperties properties;

    ApiFixture fx;
    ItemInfo item;
    byte[] png;

    @BeforeAll
    void data() throws Exception {
        fx = new ApiFixture(context);
        item = fx.item(fx.dataset("images"), "photo.png", 8, 6);
        png = ApiFixture.png(8, 6, "photo.png".hashCode());
        // a file outside the image store that no request may reach
        Files.writeString(properties.dataDir().resolve("secret.txt"), "not an image");
    }

    @Test
    void servesTheImageBytesWithItsMediaTypeAStrongEtagAndLongCaching() throws Exception {
        String hash = item.image().contentHash();
        byte[] body = fx.mvc.perform(get("/media/images/" + hash).header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR)))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_PNG))
                .andExpect(header().string(HttpHeaders.ETAG, "\"" + hash + "\""))
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "max-age=31536000, private, immutable"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andReturn().getResponse().getContentAsByteArray();
        assertThat(body).isEqualTo(png);

        fx.mvc.perform(get("/media/images/" + hash).header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR))
                        .header(HttpHeaders.IF_NONE_MATCH, "\"" + hash + "\""))
                .andExpect(status().isNotModified());
    }

    @Test
    void theUisLoginSessionIsAcceptedToo() throws Exception {
        MockHttpSession session = new MockHttpSession();
        session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, new SecurityContextImpl(
                UsernamePasswordAuthenticationToken.authenticated(fx.usernames.get(Role.REVIEWER), null,
                        AuthorityUtils.createAuthorityList(Role.REVIEWER.authority()))));
        fx.mvc.perform(get("/media/images/" + item.image().contentHash()).session(session))
                .andExpect(status().isOk())
                .andExpect(content().bytes(png));
        // the API itself takes Bearer tokens only, never the session
        fx.mvc.perform(get("/api/v1/datasets").session(session)).andExpect(status().isUnauthorized());
    }

    @Test
    void anonymousRequestsGet401NotARedirectAndNoSession() throws Exception {
        var result = fx.mvc.perform(get("/media/images/" + item.image().contentHash()))
                .andExpect(status().isUnauthorized())
                .andExpect(header().doesNotExist(HttpHeaders.LOCATION))
                .andReturn();
        assertThat(result.getRequest().getSession(false)).isNull();
    }

    @Test
    void anUnknownHashIs404() throws Exception {
        fx.mvc.perform(get("/media/images/" + "0".repeat(64)).header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR)))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-hash", "secret.txt", "..", "%2e%2e", "..%2Fsecret.txt", "..%2F..%2Fpom.xml",
            "%2e%2e%2fsecret.txt", "..%5Csecret.txt", "%252e%252e%252fsecret.txt", "images%00",
            "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"})
    void anythingButAHashIsRefusedAndNothingOutsideTheStoreIsRead(String name) throws Exception {
        var response = fx.mvc.perform(get(URI.create("/media/images/" + name))
                        .header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR)))
                .andReturn().getResponse();
        assertThat(response.getStatus()).as(name).isIn(400, 404);
        assertThat(response.getContentAsString()).doesNotContain("not an image");
    }

    @Test
    void pathsWithDotSegmentsNeverReachTheStore() throws Exception {
        for (String path : List.of("/media/images/../secret.txt", "/media/images/./../../secret.txt",
                "/media/images//etc/passwd")) {
            var response = fx.mvc.perform(get(URI.create(path)).header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR)))
                    .andReturn().getResponse();
            assertThat(response.getStatus()).as(path).isIn(400, 404);
            assertThat(response.getContentAsString()).doesNotContain("not an image");
        }
        assertThat(Path.of("pom.xml")).exists();
    }
}

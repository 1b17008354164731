package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.security.Role;

/** The life of an API token through the API: issued and shown once, stored as a hash only, revoked for good. */
@ApiTest
class TokenApiTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    ApiFixture fx;

    @BeforeAll
    void users() {
        fx = new ApiFixture(context);
    }

    @Test
    void anIssuedTokenWorksIsStoredOnlyAsItsHashAndStopsWorkingWhenRevoked() throws Exception {
        String answer = fx.mvc.perform(post("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.REVIEWER))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"notebook\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-store"))
                .andExpect(jsonPath("$.name").value("notebook"))
                .andReturn().getResponse().getContentAsString();
        String token = JsonPath.read(answer, "$.token");
        long id = ((Number) JsonPath.read(answer, "$.id")).longValue();
        assertThat(token).matches("gs_[A-Za-z0-9_-]{43}");
        assertThat(token).startsWith(JsonPath.<String>read(answer, "$.prefix"));

        fx.mvc.perform(get("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].id").value(id))
                .andExpect(jsonPath("$[0].active").value(true))
                .andExpect(jsonPath("$[0].lastUsedAt").isNotEmpty())
                .andExpect(jsonPath("$[0].token").doesNotExist())
                .andExpect(jsonPath("$[*].id").value(hasItem((int) id)));

        Map<String, Object> row = jdbc.sql("select * from api_tokens where id = :id").param("id", id).query().singleRow();
        assertThat(row.values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(token));
        assertThat(row.get("token_hash")).isEqualTo(sha256Hex(token));

        fx.mvc.perform(delete("/api/v1/tokens/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isNoContent());
        fx.mvc.perform(get("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isUnauthorized());
        fx.mvc.perform(get("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.REVIEWER)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == " + id + ")].active").value(hasItem(false)))
                .andExpect(jsonPath("$[?(@.id == " + id + ")].revokedAt").value(not(hasItem((Object) null))));
    }

    @Test
    void anAdminIssuesAndRevokesAWorkerAccountsTokenWithoutSigningInAsTheWorker() throws Exception {
        String worker = fx.usernames.get(Role.WORKER);
        String answer = fx.mvc.perform(post("/api/v1/users/" + worker + "/tokens")
                        .header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"gpu-box-1\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-store"))
                .andReturn().getResponse().getContentAsString();
        String token = JsonPath.read(answer, "$.token");
        long id = ((Number) JsonPath.read(answer, "$.id")).longValue();

        // the token acts as the worker: the worker API lets it in (no job of that id: 404), nothing a human may do
        fx.mvc.perform(post("/api/v1/worker/jobs/" + Long.MAX_VALUE + "/lease")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"leaseToken\":\"x\"}"))
                .andExpect(status().isNotFound());
        fx.mvc.perform(get("/api/v1/datasets").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isForbidden());
        fx.mvc.perform(get("/api/v1/users/" + worker + "/tokens").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ADMIN)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == " + id + ")].name").value(hasItem("gpu-box-1")))
                .andExpect(jsonPath("$[0].token").doesNotExist());

        // human accounts are refused, with the field named; nothing is issued
        String curator = fx.usernames.get(Role.CURATOR);
        int before = jdbc.sql("select count(*) from api_tokens").query(Integer.class).single();
        fx.mvc.perform(post("/api/v1/users/" + curator + "/tokens").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"sneaky\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("not a worker account")));
        fx.mvc.perform(post("/api/v1/users/nobody-" + System.nanoTime() + "/tokens")
                        .header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"x\"}"))
                .andExpect(status().isNotFound());
        assertThat(jdbc.sql("select count(*) from api_tokens").query(Integer.class).single()).isEqualTo(before);

        fx.mvc.perform(delete("/api/v1/users/" + worker + "/tokens/" + id).header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ADMIN)))
                .andExpect(status().isNoContent());
        fx.mvc.perform(post("/api/v1/worker/jobs/" + Long.MAX_VALUE + "/lease")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"leaseToken\":\"x\"}"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void aUserSeesAndRevokesOnlyTheirOwnTokens() throws Exception {
        String answer = fx.mvc.perform(post("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.CURATOR))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"curator's\"}"))
                .andReturn().getResponse().getContentAsString();
        long id = ((Number) JsonPath.read(answer, "$.id")).longValue();

        fx.mvc.perform(get("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ADMIN)))
                .andExpect(jsonPath("$[*].id").value(not(hasItem((int) id))));
        fx.mvc.perform(delete("/api/v1/tokens/" + id).header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ADMIN)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("No API token #" + id + " of yours"));
        fx.mvc.perform(get("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.CURATOR)))
                .andExpect(jsonPath("$[?(@.id == " + id + ")].active").value(hasItem(true)));
    }

    @Test
    void aTokenNeedsAName() throws Exception {
        for (String body : new String[] {"{\"name\":\"  \"}", "{}", "{\"name\":\"" + "x".repeat(101) + "\"}"}) {
            fx.mvc.perform(post("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR))
                            .contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.detail").value("A token needs a name of 1 to 100 characters"));
        }
    }

    private static String sha256Hex(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    }
}

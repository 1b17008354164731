package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.snapshot.SnapshotService;

/**
 * The security table of every endpoint under {@code /api} and {@code /media}, with its test data, and the checks
 * {@link ApiSecurityContract} runs on each row: 401 without a token, 401 with a garbage, revoked or disabled user's
 * token, 403 for each role below the endpoint's minimum, and success for the minimum role and every role above it.
 * The same table runs in process ({@link ApiSecurityTest}, MockMvc) and against the packaged jar over HTTP
 * (the frontend module's {@code PackagedJarApiSecurityIT}); the {@link Caller} is the difference.
 */
final class ApiSecurityTable {

    /** Success status for endpoints whose handler may not exist yet: anything but 401 or 403 passes. */
    static final int NOT_REFUSED = 0;

    final ApiFixture fx;
    private final ApiTokenService apiTokens;
    private final DatasetSummary dataset;
    private final ItemInfo item;
    private final ItemInfo editItem;
    private final Revision revision;
    private final ModelVersion model;

    /** @param context the platform whose database gets the test data (its users, tokens and a small dataset) */
    ApiSecurityTable(ApplicationContext context) {
        fx = new ApiFixture(context);
        apiTokens = context.getBean(ApiTokenService.class);
        dataset = fx.dataset("security");
        item = fx.item(dataset, "sa_1.png", 8, 6);
        revision = fx.revise(item, null, ApiFixture.caption("A dog.",
                List.of(new PhraseSpan(0, 5, "A dog", List.of(ApiFixture.box(6, 8, 1, 1, 2, 2)))), List.of()),
                Origin.IMPORT);
        model = context.getBean(ModelVersionService.class).getOrCreate("security-" + fx.run);
        ItemInfo accepted = fx.item(dataset, "sa_2.png", 8, 6);
        fx.revise(accepted, null, ApiFixture.caption("A cat.",
                List.of(new PhraseSpan(0, 5, "A cat", List.of(ApiFixture.box(6, 8, 1, 1, 2, 2)))), List.of()),
                Origin.HUMAN);
        context.getBean(DatasetService.class).setStatus(accepted.id(), ItemStatus.ACCEPTED);
        context.getBean(SnapshotService.class).create(dataset.name(), "security", null);
        editItem = fx.item(dataset, "sa_2.png", 8, 6);
    }

    /**
     * An endpoint with the least role that may call it; {@code alsoAllowed} are roles outside the hierarchy that
     * may call it too (WORKER on the image endpoint).
     */
    record Endpoint(HttpMethod method, String pattern, Role minimum, int success, Function<Role, String> path,
                    Function<Role, String> body, Set<Role> alsoAllowed) {

        Endpoint(HttpMethod method, String pattern, Role minimum, int success, Function<Role, String> path,
                 Function<Role, String> body) {
            this(method, pattern, minimum, success, path, body, Set.of());
        }

        boolean allows(Role role) {
            return role.includes(minimum) || alsoAllowed.contains(role);
        }

        @Override
        public String toString() {
            return method + " " + pattern + " (" + minimum + ")";
        }
    }

    static final String EMPTY_DOCUMENT = "{\"caption\":\"x\",\"phrases\":[],\"unlinkedMasks\":[],\"accepted\":[]}";

    /** Every endpoint under {@code /api} and {@code /media}: add a row for a new one. */
    Stream<Endpoint> endpoints() {
        return Stream.of(
                get("/api/v1/datasets", Role.ANNOTATOR, 200, "/api/v1/datasets"),
                get("/api/v1/datasets/{name}", Role.ANNOTATOR, 200, "/api/v1/datasets/" + dataset.name()),
                get("/api/v1/datasets/{name}/items", Role.ANNOTATOR, 200, "/api/v1/datasets/" + dataset.name() + "/items"),
                get("/api/v1/datasets/{name}/export/grandf", Role.CURATOR, 200,
                        "/api/v1/datasets/" + dataset.name() + "/export/grandf"),
                get("/api/v1/datasets/{name}/export/jsonl", Role.CURATOR, 200,
                        "/api/v1/datasets/" + dataset.name() + "/export/jsonl"),
                get("/api/v1/datasets/{name}/export/coco-gcg", Role.CURATOR, 200,
                        "/api/v1/datasets/" + dataset.name() + "/export/coco-gcg"),
                get("/api/v1/items/{id}", Role.ANNOTATOR, 200, "/api/v1/items/" + item.id()),
                get("/api/v1/items/{id}/history", Role.ANNOTATOR, 200, "/api/v1/items/" + item.id() + "/history"),
                get("/api/v1/revisions/{id}", Role.ANNOTATOR, 200, "/api/v1/revisions/" + revision.id()),
                get("/api/v1/model-versions", Role.ANNOTATOR, 200, "/api/v1/model-versions"),
                get("/api/v1/items/{id}/draft", Role.ANNOTATOR, NOT_REFUSED, "/api/v1/items/" + editItem.id() + "/draft"),
                new Endpoint(HttpMethod.PUT, "/api/v1/items/{id}/draft", Role.ANNOTATOR, NOT_REFUSED,
                        role -> "/api/v1/items/" + editItem.id() + "/draft",
                        role -> "{\"baseRevisionId\":null,\"document\":" + EMPTY_DOCUMENT + "}"),
                new Endpoint(HttpMethod.DELETE, "/api/v1/items/{id}/draft", Role.ANNOTATOR, 204,
                        role -> "/api/v1/items/" + editItem.id() + "/draft", role -> null),
                post("/api/v1/items/{id}/submit", Role.ANNOTATOR, NOT_REFUSED, "/api/v1/items/" + editItem.id() + "/submit",
                        "{\"baseRevisionId\":" + Long.MAX_VALUE + ",\"document\":" + EMPTY_DOCUMENT + "}"),
                post("/api/v1/items/{id}/review/accept", Role.REVIEWER, NOT_REFUSED,
                        "/api/v1/items/" + editItem.id() + "/review/accept", "{}"),
                post("/api/v1/items/{id}/review/reject", Role.REVIEWER, NOT_REFUSED,
                        "/api/v1/items/" + editItem.id() + "/review/reject", "{\"comment\":\"no\"}"),
                get("/api/v1/tokens", Role.ANNOTATOR, 200, "/api/v1/tokens"),
                new Endpoint(HttpMethod.POST, "/api/v1/tokens", Role.ANNOTATOR, 201, role -> "/api/v1/tokens",
                        role -> "{\"name\":\"from the table\"}"),
                new Endpoint(HttpMethod.DELETE, "/api/v1/tokens/{id}", Role.ANNOTATOR, 204,
                        role -> "/api/v1/tokens/" + ownThrowawayToken(role), role -> null),
                get("/api/v1/users", Role.ADMIN, 200, "/api/v1/users"),
                new Endpoint(HttpMethod.POST, "/api/v1/users", Role.ADMIN, 201, role -> "/api/v1/users",
                        role -> "{\"username\":\"new-" + System.nanoTime() + "\",\"password\":\"long enough, really\","
                                + "\"roles\":[\"ANNOTATOR\"]}"),
                get("/api/v1/users/{username}/tokens", Role.ADMIN, 200,
                        "/api/v1/users/" + fx.usernames.get(Role.WORKER) + "/tokens"),
                new Endpoint(HttpMethod.POST, "/api/v1/users/{username}/tokens", Role.ADMIN, 201,
                        role -> "/api/v1/users/" + fx.usernames.get(Role.WORKER) + "/tokens",
                        role -> "{\"name\":\"worker token from the table\"}"),
                new Endpoint(HttpMethod.DELETE, "/api/v1/users/{username}/tokens/{id}", Role.ADMIN, 204,
                        role -> "/api/v1/users/" + fx.usernames.get(Role.WORKER) + "/tokens/"
                                + (role == null ? 1 : apiTokens.issue(fx.usernames.get(Role.WORKER), "to revoke").info().id()),
                        role -> null),
                get("/api/v1/openapi", Role.ANNOTATOR, 200, "/api/v1/openapi"),
                get("/api/v1/openapi.yaml", Role.ANNOTATOR, 200, "/api/v1/openapi.yaml"),
                get("/api/v1/openapi/swagger-config", Role.ANNOTATOR, 200, "/api/v1/openapi/swagger-config"),
                get("/api/v1/docs", Role.ANNOTATOR, NOT_REFUSED, "/api/v1/docs"),
                post("/api/v1/datasets/{name}/prefill", Role.CURATOR, 202, "/api/v1/datasets/" + dataset.name() + "/prefill",
                        "{\"modelVersion\":\"" + model.name() + "\",\"itemIds\":[" + item.id() + "]}"),
                get("/api/v1/prefill/stats", Role.CURATOR, 200, "/api/v1/prefill/stats"),
                get("/api/v1/prefill/jobs/{id}", Role.CURATOR, NOT_REFUSED, "/api/v1/prefill/jobs/" + Long.MAX_VALUE),
                post("/api/v1/prefill/jobs/{id}/retry", Role.CURATOR, NOT_REFUSED,
                        "/api/v1/prefill/jobs/" + Long.MAX_VALUE + "/retry", null),
                post("/api/v1/prefill/jobs/{id}/cancel", Role.CURATOR, NOT_REFUSED,
                        "/api/v1/prefill/jobs/" + Long.MAX_VALUE + "/cancel", null),
                post("/api/v1/datasets/{name}/snapshots", Role.CURATOR, 201,
                        "/api/v1/datasets/" + dataset.name() + "/snapshots", "{\"note\":\"from the table\"}"),
                get("/api/v1/datasets/{name}/snapshots", Role.CURATOR, 200, "/api/v1/datasets/" + dataset.name() + "/snapshots"),
                get("/api/v1/datasets/{name}/snapshots/{number}", Role.CURATOR, 200,
                        "/api/v1/datasets/" + dataset.name() + "/snapshots/1"),
                get("/api/v1/datasets/{name}/snapshots/{number}/export", Role.CURATOR, 200,
                        "/api/v1/datasets/" + dataset.name() + "/snapshots/1/export?format=grandf"),
                get("/api/v1/datasets/{name}/snapshots/compare", Role.CURATOR, 200,
                        "/api/v1/datasets/" + dataset.name() + "/snapshots/compare?a=1&b=1"),
                post("/api/v1/training/runs", Role.CURATOR, 201, "/api/v1/training/runs",
                        "{\"baseModel\":\"" + model.name() + "\",\"dataset\":\"" + dataset.name()
                                + "\",\"snapshot\":1,\"launcher\":\"KUBERNETES\"}"),
                get("/api/v1/training/runs", Role.CURATOR, 200, "/api/v1/training/runs"),
                get("/api/v1/training/runs/{id}", Role.CURATOR, NOT_REFUSED, "/api/v1/training/runs/" + Long.MAX_VALUE),
                get("/api/v1/training/runs/{id}/logs", Role.CURATOR, NOT_REFUSED,
                        "/api/v1/training/runs/" + Long.MAX_VALUE + "/logs"),
                post("/api/v1/training/runs/{id}/cancel", Role.CURATOR, NOT_REFUSED,
                        "/api/v1/training/runs/" + Long.MAX_VALUE + "/cancel", null),
                // the dataset has no accepted test items: a curator's evaluation is refused with 400, not 403
                post("/api/v1/evaluations", Role.CURATOR, NOT_REFUSED, "/api/v1/evaluations",
                        "{\"dataset\":\"" + dataset.name() + "\",\"model\":\"" + model.name() + "\"}"),
                get("/api/v1/models/{name}/evaluations", Role.REVIEWER, 200,
                        "/api/v1/models/" + model.name() + "/evaluations"),
                get("/api/v1/models/{name}/effort", Role.REVIEWER, 200,
                        "/api/v1/models/" + model.name() + "/effort?dataset=" + dataset.name()),
                // the worker API: WORKER only, no human role (not even ADMIN); a claim answers 200 with or without
                // a job (it may lease the job queued above)
                post("/api/v1/worker/jobs/claim", Role.WORKER, 200, "/api/v1/worker/jobs/claim", "{\"max\":1}"),
                post("/api/v1/worker/jobs/{id}/lease", Role.WORKER, NOT_REFUSED,
                        "/api/v1/worker/jobs/" + Long.MAX_VALUE + "/lease", "{\"leaseToken\":\"x\"}"),
                post("/api/v1/worker/jobs/{id}/result", Role.WORKER, NOT_REFUSED,
                        "/api/v1/worker/jobs/" + Long.MAX_VALUE + "/result", "{\"leaseToken\":\"x\",\"caption\":\"\"}"),
                post("/api/v1/worker/jobs/{id}/failure", Role.WORKER, NOT_REFUSED,
                        "/api/v1/worker/jobs/" + Long.MAX_VALUE + "/failure", "{\"leaseToken\":\"x\",\"error\":\"e\"}"),
                post("/api/v1/worker/jobs/{id}/release", Role.WORKER, NOT_REFUSED,
                        "/api/v1/worker/jobs/" + Long.MAX_VALUE + "/release", "{\"leaseToken\":\"x\",\"reason\":\"r\"}"),
                // interactive assistance: no worker serves this model, so the editor's calls answer 503 at once
                post("/api/v1/items/{id}/segment", Role.ANNOTATOR, NOT_REFUSED, "/api/v1/items/" + item.id() + "/segment",
                        "{\"points\":[{\"x\":1,\"y\":1}],\"model\":\"nobody-serves-this\"}"),
                post("/api/v1/items/{id}/segment-phrase", Role.ANNOTATOR, NOT_REFUSED,
                        "/api/v1/items/" + item.id() + "/segment-phrase", "{\"phrase\":\"a dog\",\"model\":\"nobody-serves-this\"}"),
                post("/api/v1/items/{id}/describe-region", Role.ANNOTATOR, NOT_REFUSED,
                        "/api/v1/items/" + item.id() + "/describe-region", "{\"box\":[0,0,2,2],\"model\":\"nobody-serves-this\"}"),
                post("/api/v1/worker/interactive/claim", Role.WORKER, 204, "/api/v1/worker/interactive/claim",
                        "{\"model\":\"security-table\",\"waitSeconds\":0}"),
                post("/api/v1/worker/interactive/{requestId}/answer", Role.WORKER, NOT_REFUSED,
                        "/api/v1/worker/interactive/none/answer", "{\"masks\":[]}"),
                post("/api/v1/worker/interactive/{requestId}/failure", Role.WORKER, NOT_REFUSED,
                        "/api/v1/worker/interactive/none/failure", "{\"error\":\"e\"}"),
                new Endpoint(HttpMethod.GET, "/media/images/{contentHash}", Role.ANNOTATOR, 200,
                        role -> "/media/images/" + item.image().contentHash(), role -> null, Set.of(Role.WORKER)),
                // any other path under /media (a trailing slash, say) is 404 for every role that may read images
                new Endpoint(HttpMethod.GET, "/media/**", Role.ANNOTATOR, 404,
                        role -> "/media/images/" + item.image().contentHash() + "/", role -> null, Set.of(Role.WORKER)));
    }

    private static Endpoint post(String pattern, Role minimum, int success, String path, String body) {
        return new Endpoint(HttpMethod.POST, pattern, minimum, success, role -> path, role -> body);
    }

    private static Endpoint get(String pattern, Role minimum, int success, String path) {
        return new Endpoint(HttpMethod.GET, pattern, minimum, success, role -> path, role -> null);
    }

    private long ownThrowawayToken(Role role) {
        return role == null ? 1 : apiTokens.issue(fx.usernames.get(role), "to revoke").info().id();
    }

    /** How a row's request reaches the platform: MockMvc in process, or HTTP to a running server. */
    interface Caller {
        Answer call(HttpMethod method, String path, String authorization, String body) throws Exception;
    }

    /**
     * What came back.
     *
     * @param sessionOrCookie whether the request got a session (in process) or a {@code Set-Cookie} header
     */
    record Answer(int status, String wwwAuthenticate, String contentType, String body, boolean sessionOrCookie) {

        Object json(String path) {
            return JsonPath.read(body, path);
        }
    }

    static Caller mockMvc(MockMvc mvc) {
        return (method, path, authorization, body) -> {
            MockHttpServletRequestBuilder request =
                    org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request(method, path);
            if (authorization != null) {
                request.header(HttpHeaders.AUTHORIZATION, authorization);
            }
            if (body != null) {
                request.contentType(MediaType.APPLICATION_JSON).content(body);
            }
            MvcResult result = mvc.perform(request).andReturn();
            var response = result.getResponse();
            return new Answer(response.getStatus(), response.getHeader(HttpHeaders.WWW_AUTHENTICATE),
                    response.getContentType(), response.getContentAsString(),
                    result.getRequest().getSession(false) != null || response.getHeader(HttpHeaders.SET_COOKIE) != null);
        };
    }

    /** Real HTTP to a running platform at {@code baseUrl}; redirects are answers, not followed. */
    static Caller http(String baseUrl) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return (method, path, authorization, body) -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                    .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) {
                request.header(HttpHeaders.AUTHORIZATION, authorization);
            }
            if (body != null) {
                request.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(),
                    response.headers().firstValue(HttpHeaders.WWW_AUTHENTICATE).orElse(null),
                    response.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse(null), response.body(),
                    response.headers().firstValue(HttpHeaders.SET_COOKIE).isPresent());
        };
    }

    void withoutATokenTheAnswerIs401WithABearerChallenge(Endpoint endpoint, Caller caller) throws Exception {
        Answer answer = call(caller, endpoint, null, null);
        assertThat(answer.status()).as(endpoint + " without a token").isEqualTo(401);
        assertThat(answer.wwwAuthenticate()).isEqualTo("Bearer realm=\"grounding-studio\"");
        assertProblem(answer, 401);
    }

    void aGarbageRevokedOrDisabledUsersTokenIs401InvalidToken(Endpoint endpoint, Caller caller) throws Exception {
        for (String token : List.of("nonsense", "gs_" + "A".repeat(43), fx.revokedToken, fx.disabledUserToken,
                fx.tokens.get(Role.ADMIN) + "x")) {
            Answer answer = call(caller, endpoint, null, "Bearer " + token);
            assertThat(answer.status()).as(endpoint + " with an invalid token").isEqualTo(401);
            assertThat(answer.wwwAuthenticate()).contains("error=\"invalid_token\"");
            assertThat(answer.json("$.detail")).isEqualTo("The bearer token is invalid or has been revoked.");
        }
    }

    void everyRoleBelowTheMinimumIs403(Endpoint endpoint, Caller caller) throws Exception {
        for (Role role : Role.values()) {
            if (!endpoint.allows(role)) {
                Answer answer = call(caller, endpoint, role, fx.bearer(role));
                assertThat(answer.status()).as(role + " on " + endpoint).isEqualTo(403);
                assertProblem(answer, 403);
            }
        }
    }

    void theMinimumRoleAndEveryHigherOneAreServed(Endpoint endpoint, Caller caller) throws Exception {
        for (Role role : Role.values()) {
            if (endpoint.allows(role)) {
                Answer answer = call(caller, endpoint, role, fx.bearer(role));
                assertThat(answer.sessionOrCookie()).as("no session or cookie for a token request: " + role + " on "
                        + endpoint).isFalse();
                if (endpoint.success() == NOT_REFUSED) {
                    assertThat(answer.status()).as(role + " on " + endpoint).isNotIn(401, 403);
                } else {
                    assertThat(answer.status()).as(role + " on " + endpoint + ": " + answer.body())
                            .isEqualTo(endpoint.success());
                }
            }
        }
    }

    /** Fails for endpoints ({@code METHOD /pattern}) that have no row in {@link #endpoints()}. */
    void covers(Set<String> endpoints, String where) {
        Set<String> covered = new java.util.TreeSet<>();
        endpoints().forEach(e -> covered.add(e.method() + " " + e.pattern()));
        assertThat(covered).as("endpoints of " + where + " without a row in ApiSecurityTable#endpoints")
                .containsAll(endpoints);
    }

    private static void assertProblem(Answer answer, int status) {
        assertThat(answer.contentType()).as("content type").isNotNull();
        assertThat(MediaType.parseMediaType(answer.contentType()).isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .as("problem JSON, not " + answer.contentType()).isTrue();
        assertThat(answer.json("$.status")).isEqualTo(status);
    }

    private static Answer call(Caller caller, Endpoint endpoint, Role role, String authorization) throws Exception {
        return caller.call(endpoint.method(), endpoint.path().apply(role), authorization, endpoint.body().apply(role));
    }
}

package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.assist.AssistService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.mask.Rle;
import studio.grounding.security.Role;

/** The editor's assist calls over HTTP, answered by a "worker" polling the worker API in another thread. */
@ApiTest
class AssistApiTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    AssistService assist;

    ApiFixture fx;
    ItemInfo item;
    /** Own threads: the common pool has one thread on a 2-core machine, and a long poll blocks it. */
    final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    void data() {
        fx = new ApiFixture(context);
        DatasetSummary dataset = fx.dataset("assist");
        item = fx.item(dataset, "as_1.png", 8, 6);      // 8 wide, 6 high
    }

    private ResultActions call(String path, Role role, String body) throws Exception {
        return fx.mvc.perform(post(path).header(HttpHeaders.AUTHORIZATION, fx.bearer(role))
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    /** A worker's long poll in the background; returns its claim's body. */
    private CompletableFuture<String> workerClaims(String model) throws Exception {
        CompletableFuture<String> claim = CompletableFuture.supplyAsync(() -> {
            try {
                return call("/api/v1/worker/interactive/claim", Role.WORKER,
                        "{\"model\":\"" + model + "\",\"waitSeconds\":10}")
                        .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        while (!assist.connected(model)) {
            Thread.sleep(5);
        }
        return claim;
    }

    private CompletableFuture<MvcResult> editorAsks(String path, String body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call(path, Role.ANNOTATOR, body).andReturn();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Test
    void clickToSegmentRoundTripsThroughAPollingWorker() throws Exception {
        String model = "assist-seg-" + fx.run;
        CompletableFuture<String> claim = workerClaims(model);
        String previous = Rle.fromBbox(new double[] {1, 1, 2, 2}, 6, 8).toCompressedString();
        CompletableFuture<MvcResult> editor = editorAsks("/api/v1/items/" + item.id() + "/segment",
                "{\"model\":\"" + model + "\",\"points\":[{\"x\":2,\"y\":3},{\"x\":5,\"y\":5,\"positive\":false}],"
                        + "\"box\":[0,0,4,6],\"mask\":{\"size\":[6,8],\"counts\":\"" + json(previous) + "\"}}");
        String request = claim.get(10, TimeUnit.SECONDS);
        assertThat((String) JsonPath.read(request, "$.kind")).isEqualTo("SEGMENT");
        assertThat(((Number) JsonPath.read(request, "$.itemId")).longValue()).isEqualTo(item.id());
        assertThat((String) JsonPath.read(request, "$.image.url")).isEqualTo("/media/images/" + item.image().contentHash());
        assertThat((Boolean) JsonPath.read(request, "$.points[1].positive")).isFalse();
        assertThat((String) JsonPath.read(request, "$.maskCounts")).isEqualTo(previous);
        String id = JsonPath.read(request, "$.requestId");
        String mask = Rle.fromBbox(new double[] {0, 0, 4, 6}, 6, 8).toCompressedString();
        call("/api/v1/worker/interactive/" + id + "/answer", Role.WORKER, "{\"masks\":[{\"size\":[6,8],\"counts\":\""
                + json(mask) + "\"}],\"scores\":[0.75]}").andExpect(status().isNoContent());
        MvcResult result = editor.get(10, TimeUnit.SECONDS);
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        String body = result.getResponse().getContentAsString();
        assertThat((String) JsonPath.read(body, "$.mask.counts")).isEqualTo(mask);
        assertThat(JsonPath.<Object>read(body, "$.mask.size").toString()).isEqualTo("[6,8]");
        assertThat(JsonPath.<Double>read(body, "$.scores[0]")).isEqualTo(0.75);
    }

    @Test
    void phraseAndRegionRequestsReachTheWorkerAndAFailureIs502() throws Exception {
        String model = "assist-phrase-" + fx.run;
        CompletableFuture<String> claim = workerClaims(model);
        CompletableFuture<MvcResult> editor = editorAsks("/api/v1/items/" + item.id() + "/segment-phrase",
                "{\"model\":\"" + model + "\",\"phrase\":\"the dog\"}");
        String request = claim.get(10, TimeUnit.SECONDS);
        assertThat((String) JsonPath.read(request, "$.phrase")).isEqualTo("the dog");
        call("/api/v1/worker/interactive/" + JsonPath.read(request, "$.requestId") + "/failure", Role.WORKER,
                "{\"error\":\"this worker cannot segment phrases\"}").andExpect(status().isNoContent());
        MvcResult failed = editor.get(10, TimeUnit.SECONDS);
        assertThat(failed.getResponse().getStatus()).isEqualTo(502);
        assertThat(failed.getResponse().getContentAsString()).contains("this worker cannot segment phrases");

        claim = workerClaims(model);
        editor = editorAsks("/api/v1/items/" + item.id() + "/describe-region",
                "{\"model\":\"" + model + "\",\"box\":[1,1,3,3]}");
        request = claim.get(10, TimeUnit.SECONDS);
        assertThat((String) JsonPath.read(request, "$.kind")).isEqualTo("DESCRIBE_REGION");
        call("/api/v1/worker/interactive/" + JsonPath.read(request, "$.requestId") + "/answer", Role.WORKER,
                "{\"caption\":\"a small square\"}").andExpect(status().isNoContent());
        MvcResult described = editor.get(10, TimeUnit.SECONDS);
        assertThat(described.getResponse().getStatus()).isEqualTo(200);
        assertThat((String) JsonPath.read(described.getResponse().getContentAsString(), "$.caption"))
                .isEqualTo("a small square");
    }

    @Test
    void noWorkerIs503WithAClearMessageAndBadInputIs400() throws Exception {
        call("/api/v1/items/" + item.id() + "/segment", Role.ANNOTATOR,
                "{\"model\":\"assist-nobody\",\"points\":[{\"x\":1,\"y\":1}]}")
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail").value("No worker with model assist-nobody connected for interactive requests"));
        call("/api/v1/items/" + item.id() + "/segment", Role.ANNOTATOR,
                "{\"model\":\"assist-nobody\",\"points\":[{\"x\":9,\"y\":1}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("points[0]: (9.0, 1.0) is outside the 8x6")));
        call("/api/v1/items/" + item.id() + "/segment", Role.ANNOTATOR,
                "{\"points\":[{\"x\":1,\"y\":1}],\"mask\":{\"size\":[8,6],\"counts\":\"x\"}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("mask.size: must be the image's [6, 8]")));
        call("/api/v1/items/" + Long.MAX_VALUE + "/segment", Role.ANNOTATOR, "{\"points\":[{\"x\":1,\"y\":1}]}")
                .andExpect(status().isNotFound());
        call("/api/v1/worker/interactive/unknown/answer", Role.WORKER, "{\"masks\":[]}")
                .andExpect(status().isNotFound());
        call("/api/v1/worker/interactive/claim", Role.WORKER, "{\"waitSeconds\":0}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value(Matchers.containsString("model")));
    }
}

package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.util.Collections;
import java.util.Set;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/** The pre-fill flow over HTTP: a curator queues, a worker claims, fetches the image, submits; errors as problems. */
@ApiTest
class PrefillApiTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RevisionService revisions;

    ApiFixture fx;
    DatasetSummary dataset;
    ItemInfo item;
    String model;

    @BeforeAll
    void data() {
        fx = new ApiFixture(context);
        dataset = fx.dataset("prefill");
        item = fx.item(dataset, "p_1.png", 8, 6);
        model = context.getBean(ModelVersionService.class).getOrCreate("glamm-api-" + fx.run).name();
    }

    @Test
    void curatorQueuesWorkerClaimsFetchesTheImageAndSubmits() throws Exception {
        // the API context is shared: no job of another test class may be claimed here
        jdbc.sql("update prefill_jobs set status = 'CANCELLED', lease_token = null, lease_expires_at = null "
                + "where status in ('QUEUED', 'RUNNING')").update();
        call(post("/api/v1/datasets/" + dataset.name() + "/prefill"), Role.CURATOR, "{\"modelVersion\":\"" + model + "\"}")
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.queued").value(1));
        call(post("/api/v1/datasets/" + dataset.name() + "/prefill"), Role.CURATOR, "{\"modelVersion\":\"nope\"}")
                .andExpect(status().isBadRequest());

        String claimed = call(post("/api/v1/worker/jobs/claim"), Role.WORKER, "{\"max\":4,\"leaseSeconds\":120,\"instance\":\"gpu0\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobs.length()").value(1))
                .andExpect(jsonPath("$.jobs[0].itemId").value(item.id()))
                .andExpect(jsonPath("$.jobs[0].image.width").value(8))
                .andExpect(jsonPath("$.jobs[0].image.height").value(6))
                .andExpect(jsonPath("$.jobs[0].modelVersion.name").value(model))
                .andReturn().getResponse().getContentAsString();
        long jobId = ((Number) JsonPath.read(claimed, "$.jobs[0].jobId")).longValue();
        String token = JsonPath.read(claimed, "$.jobs[0].leaseToken");
        String url = JsonPath.read(claimed, "$.jobs[0].image.url");
        fx.mvc.perform(get(url).header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.WORKER))).andExpect(status().isOk());

        call(post("/api/v1/worker/jobs/" + jobId + "/lease"), Role.WORKER, "{\"leaseToken\":\"" + token + "\",\"leaseSeconds\":300}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.leaseExpiresAt").exists());
        call(post("/api/v1/worker/jobs/" + jobId + "/lease"), Role.WORKER, "{\"leaseToken\":\"" + java.util.UUID.randomUUID() + "\"}")
                .andExpect(status().isConflict()).andExpect(jsonPath("$.detail").value(Matchers.containsString("drop the job")));

        String mask = ApiFixture.box(6, 8, 1, 1, 2, 2).counts().replace("\\", "\\\\").replace("\"", "\\\"");
        call(post("/api/v1/worker/jobs/" + jobId + "/result"), Role.WORKER, "{\"leaseToken\":\"" + token
                + "\",\"caption\":\"A dog.\",\"phrases\":[{\"text\":\"A dog\"}],\"masks\":[{\"size\":[8,6],\"counts\":\""
                + mask + "\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("masks[0].size")));
        call(post("/api/v1/worker/jobs/" + jobId + "/result"), Role.WORKER, "{\"leaseToken\":\"" + token
                + "\",\"caption\":\"A dog.\",\"phrases\":[{\"text\":\"A dog\"}],\"masks\":[{\"size\":[6],\"counts\":\"x\"}]}")
                .andExpect(status().isBadRequest());
        assertThat(revisions.history(item.id())).isEmpty();

        String body = "{\"leaseToken\":\"" + token + "\",\"caption\":\"A dog.\",\"phrases\":[{\"text\":\"A dog\"}],"
                + "\"masks\":[{\"size\":[6,8],\"counts\":\"" + mask + "\"}],\"scores\":[0.97],"
                + "\"timings\":{\"generate\":812.5,\"sam_decode\":41}}";
        call(post("/api/v1/worker/jobs/" + jobId + "/result"), Role.WORKER, body)
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("SUCCEEDED"))
                .andExpect(jsonPath("$.replay").value(false));
        call(post("/api/v1/worker/jobs/" + jobId + "/result"), Role.WORKER, body)
                .andExpect(status().isOk()).andExpect(jsonPath("$.replay").value(true));
        assertThat(revisions.history(item.id())).hasSize(1);
        var latest = revisions.latest(item.id()).orElseThrow();
        assertThat(latest.origin()).isEqualTo(Origin.MODEL);
        assertThat(latest.author()).isEqualTo(fx.usernames.get(Role.WORKER) + "/gpu0");

        call(post("/api/v1/worker/jobs/" + jobId + "/failure"), Role.WORKER, "{\"leaseToken\":\"" + token + "\",\"error\":\"x\"}")
                .andExpect(status().isConflict());
        call(get("/api/v1/prefill/stats"), Role.CURATOR, null)
                .andExpect(status().isOk()).andExpect(jsonPath("$.byStatus.SUCCEEDED").value(Matchers.greaterThanOrEqualTo(1)));
        call(get("/api/v1/prefill/jobs/" + jobId), Role.CURATOR, null)
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("SUCCEEDED"))
                .andExpect(jsonPath("$.leaseToken").doesNotExist());
        call(post("/api/v1/prefill/jobs/" + jobId + "/retry"), Role.CURATOR, null).andExpect(status().isConflict());
        call(post("/api/v1/prefill/jobs/" + jobId + "/cancel"), Role.CURATOR, null).andExpect(status().isConflict());
        call(get("/api/v1/prefill/jobs/" + Long.MAX_VALUE), Role.CURATOR, null).andExpect(status().isNotFound());
    }

    @Test
    void anotherWorkersTokenWithTheLeaseIsRefusedAndAnExpiredLeaseTakesNoResult() throws Exception {
        jdbc.sql("update prefill_jobs set status = 'CANCELLED', lease_token = null, lease_expires_at = null "
                + "where status in ('QUEUED', 'RUNNING')").update();
        DatasetSummary ds = fx.dataset("prefill-owner");
        ItemInfo target = fx.item(ds, "o_1.png", 8, 6);
        String otherWorker = "other-worker-" + fx.run;
        context.getBean(UserService.class).create(otherWorker, null, ApiFixture.PASSWORD, Set.of(Role.WORKER));
        String otherToken = "Bearer " + context.getBean(ApiTokenService.class).issue(otherWorker, "test").plaintext();
        call(post("/api/v1/datasets/" + ds.name() + "/prefill"), Role.CURATOR, "{\"modelVersion\":\"" + model + "\"}")
                .andExpect(status().isAccepted());
        String claimed = call(post("/api/v1/worker/jobs/claim"), Role.WORKER, "{\"leaseSeconds\":120}")
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        long jobId = ((Number) JsonPath.read(claimed, "$.jobs[0].jobId")).longValue();
        String token = JsonPath.read(claimed, "$.jobs[0].leaseToken");
        String mask = ApiFixture.box(6, 8, 1, 1, 2, 2).counts().replace("\\", "\\\\").replace("\"", "\\\"");
        String result = "{\"leaseToken\":\"" + token + "\",\"caption\":\"A dog.\",\"phrases\":[{\"text\":\"A dog\"}],"
                + "\"masks\":[{\"size\":[6,8],\"counts\":\"" + mask + "\"}]}";
        String lease = "{\"leaseToken\":\"" + token + "\",\"leaseSeconds\":600}";
        String leaseBefore = jdbc.sql("select lease_expires_at::text from prefill_jobs where id = :id").param("id", jobId)
                .query(String.class).single();

        for (String path : new String[] {"/result", "/lease", "/failure", "/release"}) {
            String body = path.equals("/result") ? result : lease;
            fx.mvc.perform(post("/api/v1/worker/jobs/" + jobId + path).header(HttpHeaders.AUTHORIZATION, otherToken)
                            .contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.detail").value(Matchers.containsString("another worker account")));
        }
        assertThat(jdbc.sql("select status || ' ' || attempts || ' ' || lease_expires_at::text from prefill_jobs "
                + "where id = :id").param("id", jobId).query(String.class).single())
                .as("nothing changed").isEqualTo("RUNNING 1 " + leaseBefore);
        assertThat(revisions.history(target.id())).isEmpty();

        // a result over the document limits is refused naming the field; the job keeps running
        String manyMasks = "{\"leaseToken\":\"" + token + "\",\"caption\":\"A dog.\",\"phrases\":[],\"masks\":["
                + String.join(",", Collections.nCopies(2001, "{\"size\":[6,8],\"counts\":\"" + mask + "\"}"))
                + "]}";
        call(post("/api/v1/worker/jobs/" + jobId + "/result"), Role.WORKER, manyMasks)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("masks: more than 2000 masks")));

        jdbc.sql("update prefill_jobs set lease_expires_at = now() - interval '1 second' where id = :id")
                .param("id", jobId).update();
        call(post("/api/v1/worker/jobs/" + jobId + "/result"), Role.WORKER, result)
                .andExpect(status().isConflict()).andExpect(jsonPath("$.detail").value(Matchers.containsString("ran out")));
        assertThat(revisions.history(target.id())).isEmpty();
    }

    private ResultActions call(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request, Role role,
                               String body) throws Exception {
        request.header(HttpHeaders.AUTHORIZATION, fx.bearer(role));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return fx.mvc.perform(request);
    }
}

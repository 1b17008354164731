package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.Role;

/** Snapshots and training runs over HTTP: created, listed, exported, compared; errors as problems naming the field. */
@ApiTest
class SnapshotApiTest {

    @Autowired
    WebApplicationContext context;

    ApiFixture fx;
    DatasetSummary dataset;
    DatasetSummary empty;
    DatasetSummary forTraining;
    String model;

    @BeforeAll
    void data() {
        fx = new ApiFixture(context);
        dataset = accepted("snapshots");
        forTraining = accepted("training");
        empty = fx.dataset("no-accepted");
        model = context.getBean(ModelVersionService.class).getOrCreate("glamm-snap-" + fx.run).name();
    }

    @Test
    void curatorCreatesListsExportsAndComparesSnapshots() throws Exception {
        String base = "/api/v1/datasets/" + dataset.name() + "/snapshots";
        call(post(base), "{\"note\":\"first\"}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.number").value(1)).andExpect(jsonPath("$.items").value(2))
                .andExpect(jsonPath("$.masks").value(2)).andExpect(jsonPath("$.note").value("first"))
                .andExpect(jsonPath("$.createdBy").value(fx.usernames.get(Role.CURATOR)))
                .andExpect(jsonPath("$.contentHash").value(Matchers.matchesPattern("[0-9a-f]{64}")));
        call(post(base), null).andExpect(status().isCreated()).andExpect(jsonPath("$.number").value(2));
        call(get(base), null).andExpect(status().isOk()).andExpect(jsonPath("$[0].number").value(2))
                .andExpect(jsonPath("$.length()").value(2));
        call(get(base + "/1"), null).andExpect(status().isOk()).andExpect(jsonPath("$.itemsPerSplit").exists());
        call(get(base + "/7"), null).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("7")));

        String first = download(base + "/1/export?format=grandf");
        String again = download(base + "/1/export");
        assertThat(first).isEqualTo(again).contains("\"a.png\"");
        assertThat(first.indexOf("a.png")).isLessThan(first.indexOf("b.png"));
        call(get(base + "/1/export?format=coco-gcg"), null).andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
                        .string(HttpHeaders.CONTENT_DISPOSITION, Matchers.containsString("_coco_gcg.zip")));
        call(get(base + "/1/export?format=xml"), null).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("format")));

        call(get(base + "/compare?a=1&b=2"), null).andExpect(status().isOk())
                .andExpect(jsonPath("$.added.length()").value(0)).andExpect(jsonPath("$.changed.length()").value(0))
                .andExpect(jsonPath("$.unchanged").value(2));
    }

    @Test
    void anEmptySnapshotIsAConflictNamingTheReason() throws Exception {
        call(post("/api/v1/datasets/" + empty.name() + "/snapshots"), "{}").andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("no ACCEPTED items")));
    }

    @Test
    void trainingRunsStartAndReportOverHttp() throws Exception {
        call(post("/api/v1/datasets/" + forTraining.name() + "/snapshots"), null).andExpect(status().isCreated());
        String body = "{\"baseModel\":\"" + model + "\",\"dataset\":\"" + forTraining.name()
                + "\",\"snapshot\":1,\"launcher\":\"SLURM\",\"hyperparameters\":{\"gpus\":\"2\",\"epochs\":\"1\"}}";
        String created = call(post("/api/v1/training/runs"), body).andExpect(status().isCreated())
                .andExpect(jsonPath("$.status").value("QUEUED")).andExpect(jsonPath("$.launcher").value("SLURM"))
                .andExpect(jsonPath("$.hyperparameters.gpus").value("2"))
                .andExpect(jsonPath("$.launchFile").value(Matchers.endsWith("job.sbatch")))
                .andReturn().getResponse().getContentAsString();
        long id = ((Number) com.jayway.jsonpath.JsonPath.read(created, "$.id")).longValue();
        call(get("/api/v1/training/runs/" + id), null).andExpect(status().isOk()).andExpect(jsonPath("$.id").value(id));
        call(get("/api/v1/training/runs/" + id + "/logs"), null).andExpect(status().isOk())
                .andExpect(jsonPath("$.stdout.length()").value(0));
        call(post("/api/v1/training/runs/" + id + "/cancel"), null).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"));
        call(post("/api/v1/training/runs/" + id + "/cancel"), null).andExpect(status().isConflict());
        call(get("/api/v1/training/runs/999999"), null).andExpect(status().isNotFound());

        call(post("/api/v1/training/runs"), body.replace("\"epochs\"", "\"epochz\"")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("hyperparameters.epochz")));
        call(post("/api/v1/training/runs"), body.replace("SLURM", "PBS")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("launcher")));
    }

    private String download(String url) throws Exception {
        var started = call(get(url), null).andExpect(status().isOk()).andReturn();
        return fx.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch(started))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private DatasetSummary accepted(String name) {
        DatasetSummary ds = fx.dataset(name);
        for (String file : List.of("b.png", "a.png")) {
            ItemInfo item = fx.item(ds, file, 8, 6);
            fx.revise(item, null, ApiFixture.caption("A dog.",
                    List.of(new PhraseSpan(0, 5, "A dog", List.of(ApiFixture.box(6, 8, 1, 1, 2, 2)))), List.of()),
                    Origin.HUMAN);
            context.getBean(DatasetService.class).setStatus(item.id(), ItemStatus.ACCEPTED);
        }
        return ds;
    }

    private ResultActions call(MockHttpServletRequestBuilder request, String body) throws Exception {
        request.header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.CURATOR));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return fx.mvc.perform(request);
    }
}

package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.Role;

/**
 * Evaluations and correction effort over HTTP. One accepted test item that the model version pre-filled exactly
 * (mIoU 1) and an annotator accepted unchanged after 30 active seconds.
 */
@ApiTest
class EvaluationApiTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    ApiFixture fx;
    DatasetSummary dataset;
    ModelVersion model;

    @BeforeAll
    void data() {
        fx = new ApiFixture(context);
        dataset = fx.dataset("evaluation");
        model = context.getBean(ModelVersionService.class).getOrCreate("glamm-eval-" + fx.run);
        ItemInfo item = fx.item(dataset, "e_1.png", 8, 6, Split.TEST);
        GroundedCaption caption = ApiFixture.caption("A dog.",
                List.of(new PhraseSpan(0, 5, "A dog", List.of(ApiFixture.box(6, 8, 1, 1, 2, 2)))), List.of());
        Revision pre = fx.revise(item, null, caption, Origin.MODEL, model.id(), Map.of());
        fx.revise(item, pre.id(), caption, Origin.HUMAN, null, Map.of("activeSeconds", 30.0));
        fx.status(item, ItemStatus.ACCEPTED);
    }

    @Test
    void aCuratorEvaluatesAReviewerReadsTheResultsAndTheEffort() throws Exception {
        long id = ((Number) com.jayway.jsonpath.JsonPath.read(
                call(post("/api/v1/evaluations"), Role.CURATOR,
                        "{\"dataset\":\"" + dataset.name() + "\",\"model\":\"" + model.name() + "\"}")
                        .andExpect(status().isCreated())
                        .andExpect(jsonPath("$.modelVersion").value(model.name()))
                        .andExpect(jsonPath("$.metrics.miou").value(1.0))
                        .andExpect(jsonPath("$.metrics.recall").value(1.0))
                        .andExpect(jsonPath("$.recallOfficial").value(false))
                        .andExpect(jsonPath("$.recallLabel").value("fallback: exact-match, not the official number"))
                        .andExpect(jsonPath("$.createdBy").value(fx.usernames.get(Role.CURATOR)))
                        .andReturn().getResponse().getContentAsString(), "$.id")).longValue();

        call(get("/api/v1/models/" + model.name() + "/evaluations"), Role.REVIEWER, null)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].id").value(id))
                .andExpect(jsonPath("$[0].itemsEvaluated").value(1));

        call(get("/api/v1/models/" + model.name() + "/effort").param("dataset", dataset.name()), Role.REVIEWER, null)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items").value(1))
                .andExpect(jsonPath("$.seconds.total").value(30.0))
                .andExpect(jsonPath("$.captionCharEdits.total").value(0.0))
                .andExpect(jsonPath("$.perItem[0].fileName").value("e_1.png"))
                .andExpect(jsonPath("$.perItem[0].timeSource").value("active"));
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndStoresNothing() throws Exception {
        long before = jdbc.sql("select count(*) from evaluations").query(Long.class).single();
        call(post("/api/v1/evaluations"), Role.CURATOR, "{\"dataset\":\"" + dataset.name() + "\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.startsWith("model:")));
        call(post("/api/v1/evaluations"), Role.CURATOR, "{\"dataset\":\"" + dataset.name() + "\",\"model\":\"nope\"}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("No model version named \"nope\""));
        call(post("/api/v1/evaluations"), Role.CURATOR, "{\"dataset\":\"nope\",\"model\":\"" + model.name() + "\"}")
                .andExpect(status().isNotFound());
        call(post("/api/v1/evaluations"), Role.CURATOR,
                "{\"dataset\":\"" + dataset.name() + "\",\"model\":\"" + model.name() + "\",\"snapshot\":0}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.startsWith("snapshot:")));
        call(post("/api/v1/evaluations"), Role.CURATOR,
                "{\"dataset\":\"" + dataset.name() + "\",\"model\":\"" + model.name() + "\",\"snapshot\":7}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value(Matchers.startsWith("No snapshot 7")));
        call(get("/api/v1/models/" + model.name() + "/effort"), Role.REVIEWER, null)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.startsWith("dataset:")));
        call(get("/api/v1/models/nope/evaluations"), Role.REVIEWER, null).andExpect(status().isNotFound());
        assertThat(jdbc.sql("select count(*) from evaluations").query(Long.class).single()).isEqualTo(before);
    }

    private ResultActions call(MockHttpServletRequestBuilder request, Role role, String body) throws Exception {
        request.header(HttpHeaders.AUTHORIZATION, fx.bearer(role));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return fx.mvc.perform(request);
    }
}

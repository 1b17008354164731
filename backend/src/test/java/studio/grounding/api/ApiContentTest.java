package studio.grounding.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.Role;

/** What the read endpoints answer: JSON shapes, paging, history order, problem details for 404 and 400. */
@ApiTest
class ApiContentTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    DatasetService datasets;
    @Autowired
    ModelVersionService models;

    ApiFixture fx;
    DatasetSummary dataset;
    List<ItemInfo> items = new ArrayList<>();
    Revision first;
    Revision second;
    MaskRle manMask;
    MaskRle orphanMask;

    @BeforeAll
    void data() {
        fx = new ApiFixture(context);
        dataset = fx.dataset("content");
        for (int i = 0; i < 5; i++) {
            items.add(fx.item(dataset, "sa_" + i + ".png", 8, 6));
        }
        datasets.setStatus(items.get(3).id(), ItemStatus.ACCEPTED);
        manMask = ApiFixture.box(6, 8, 1, 1, 3, 2);
        orphanMask = ApiFixture.box(6, 8, 0, 0, 1, 1);
        ItemInfo item = items.getFirst();
        first = fx.revise(item, null, ApiFixture.caption("A man.",
                List.of(new PhraseSpan(0, 5, "A man", List.of(manMask))), List.of()), Origin.IMPORT);
        second = fx.revise(item, first.id(), ApiFixture.caption("A man rides a horse.",
                        List.of(new PhraseSpan(0, 5, "A man", List.of(manMask)),
                                new PhraseSpan(12, 19, "a horse", List.of())),
                        List.of(orphanMask)),
                Origin.HUMAN);
    }

    @Test
    void listsDatasetsWithTheirCountsPerStatus() throws Exception {
        String at = "$[?(@.name == '" + dataset.name() + "')]";
        get("/api/v1/datasets")
                .andExpect(status().isOk())
                .andExpect(jsonPath(at + ".itemCount").value(hasItem(5)))
                .andExpect(jsonPath(at + ".itemsByStatus.NEW").value(hasItem(4)))
                .andExpect(jsonPath(at + ".itemsByStatus.ACCEPTED").value(hasItem(1)))
                .andExpect(jsonPath(at + ".itemsByStatus.REJECTED").value(hasItem(0)));
    }

    @Test
    void oneDatasetByName() throws Exception {
        get("/api/v1/datasets/" + dataset.name())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(dataset.id()))
                .andExpect(jsonPath("$.name").value(dataset.name()))
                .andExpect(jsonPath("$.itemCount").value(5))
                .andExpect(jsonPath("$.itemsByStatus.NEW").value(4));
    }

    @Test
    void anUnknownDatasetIsAProblem404() throws Exception {
        for (String path : List.of("/api/v1/datasets/no-such-set", "/api/v1/datasets/no-such-set/items")) {
            get(path)
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(404))
                    .andExpect(jsonPath("$.detail").value("No dataset named \"no-such-set\""));
        }
    }

    @Test
    void itemsComePagedInIdOrderWithTheTotal() throws Exception {
        String items = "/api/v1/datasets/" + dataset.name() + "/items";
        get(items + "?page=0&size=2")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(5))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(2))
                .andExpect(jsonPath("$.items.length()").value(2))
                .andExpect(jsonPath("$.items[0].id").value(this.items.get(0).id()))
                .andExpect(jsonPath("$.items[1].id").value(this.items.get(1).id()))
                .andExpect(jsonPath("$.items[0].image.fileName").value("sa_0.png"))
                .andExpect(jsonPath("$.items[0].latestRevisionId").value(second.id()))
                .andExpect(jsonPath("$.items[0].latestRevision").value(nullValue()));
        get(items + "?page=2&size=2")
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].id").value(this.items.get(4).id()));
        get(items + "?page=9&size=2").andExpect(jsonPath("$.items.length()").value(0)).andExpect(jsonPath("$.total").value(5));
        get(items).andExpect(jsonPath("$.size").value(50)).andExpect(jsonPath("$.items.length()").value(5));
    }

    @Test
    void itemsFilterByStatus() throws Exception {
        String items = "/api/v1/datasets/" + dataset.name() + "/items";
        get(items + "?status=ACCEPTED")
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].id").value(this.items.get(3).id()))
                .andExpect(jsonPath("$.items[0].status").value("ACCEPTED"));
        get(items + "?status=accepted,new").andExpect(jsonPath("$.total").value(5));
        get(items + "?status=SUBMITTED&status=ACCEPTED").andExpect(jsonPath("$.total").value(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            status=DONE           | Unknown status [DONE]
            page=-1               | page must be 0 or more
            size=0                | size must be between 1 and 500
            size=501              | size must be between 1 and 500
            page=abc              | page
            page=2147483647&size=2 | out of range
            """)
    void badPagingParametersAreProblem400s(String query, String detail) throws Exception {
        get("/api/v1/datasets/" + dataset.name() + "/items?" + query)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString(detail)));
    }

    @Test
    void anItemWithItsImageAndLatestRevision() throws Exception {
        ItemInfo item = items.getFirst();
        get("/api/v1/items/" + item.id())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(item.id()))
                .andExpect(jsonPath("$.datasetId").value(dataset.id()))
                .andExpect(jsonPath("$.datasetName").value(dataset.name()))
                .andExpect(jsonPath("$.status").value("NEW"))
                .andExpect(jsonPath("$.image.fileName").value("sa_0.png"))
                .andExpect(jsonPath("$.image.width").value(8))
                .andExpect(jsonPath("$.image.height").value(6))
                .andExpect(jsonPath("$.image.mediaType").value("image/png"))
                .andExpect(jsonPath("$.image.split").value("train"))
                .andExpect(jsonPath("$.image.contentHash").value(item.image().contentHash()))
                .andExpect(jsonPath("$.image.url").value("/media/images/" + item.image().contentHash()))
                .andExpect(jsonPath("$.latestRevision.id").value(second.id()))
                .andExpect(jsonPath("$.latestRevision.parentId").value(first.id()))
                .andExpect(jsonPath("$.latestRevision.origin").value("HUMAN"))
                .andExpect(jsonPath("$.latestRevision.caption").value("A man rides a horse."))
                .andExpect(jsonPath("$.latestRevision.warnings[0]").value("phrase count differs"))
                .andExpect(jsonPath("$.latestRevision.phrases.length()").value(2))
                .andExpect(jsonPath("$.latestRevision.phrases[0].start").value(0))
                .andExpect(jsonPath("$.latestRevision.phrases[0].end").value(5))
                .andExpect(jsonPath("$.latestRevision.phrases[0].text").value("A man"))
                .andExpect(jsonPath("$.latestRevision.phrases[0].masks[0].size[0]").value(6))
                .andExpect(jsonPath("$.latestRevision.phrases[0].masks[0].size[1]").value(8))
                .andExpect(jsonPath("$.latestRevision.phrases[0].masks[0].counts").value(manMask.counts()))
                .andExpect(jsonPath("$.latestRevision.phrases[1].text").value("a horse"))
                .andExpect(jsonPath("$.latestRevision.phrases[1].masks.length()").value(0))
                .andExpect(jsonPath("$.latestRevision.unlinkedMasks[0].counts").value(orphanMask.counts()));
    }

    @Test
    void anItemWithoutRevisionsHasANullLatestRevision() throws Exception {
        get("/api/v1/items/" + items.get(1).id())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.latestRevision").value(nullValue()));
        get("/api/v1/items/" + items.get(1).id() + "/history")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(0));
    }

    @Test
    void historyIsNewestFirstAndEveryEarlierStateIsReadable() throws Exception {
        get("/api/v1/items/" + items.getFirst().id() + "/history")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0].id").value(second.id()))
                .andExpect(jsonPath("$[0].origin").value("HUMAN"))
                .andExpect(jsonPath("$[0].phraseCount").value(2))
                .andExpect(jsonPath("$[0].maskCount").value(2))
                .andExpect(jsonPath("$[1].id").value(first.id()))
                .andExpect(jsonPath("$[1].parentId").value(nullValue()))
                .andExpect(jsonPath("$[1].origin").value("IMPORT"));
        get("/api/v1/revisions/" + first.id())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(first.id()))
                .andExpect(jsonPath("$.itemId").value(items.getFirst().id()))
                .andExpect(jsonPath("$.caption").value("A man."))
                .andExpect(jsonPath("$.contentHash").value(first.contentHash()))
                .andExpect(jsonPath("$.phrases[0].masks[0].counts").value(manMask.counts()))
                .andExpect(jsonPath("$.unlinkedMasks.length()").value(0));
    }

    @Test
    void unknownItemsAndRevisionsAreProblem404sAndMalformedIds400s() throws Exception {
        for (String path : List.of("/api/v1/items/987654321", "/api/v1/items/987654321/history",
                "/api/v1/revisions/987654321")) {
            get(path)
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail").value(containsString("987654321")));
        }
        get("/api/v1/items/abc")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        // outside /api the usual servlet error handling stays in charge
        fx.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/no-such-page"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(""));
    }

    @Test
    void requestsReachingNoEndpointAreProblemDetailsToo() throws Exception {
        get("/api/v1/no-such-thing")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(404));
        fx.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/v1/datasets")
                        .header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR)))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string(HttpHeaders.ALLOW, "GET"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(405));
        fx.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/tokens")
                        .header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR))
                        .contentType(MediaType.TEXT_PLAIN).content("name"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        fx.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/tokens")
                        .header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR))
                        .contentType(MediaType.APPLICATION_JSON).content("{not json"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void modelVersions() throws Exception {
        String name = "glamm-ft-" + fx.run;
        long id = models.getOrCreate(name).id();
        get("/api/v1/model-versions")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.name == '" + name + "')].id").value(hasItem((int) id)));
    }

    @Test
    void theOpenApiDescriptionDescribesTheBearerScheme() throws Exception {
        get("/api/v1/openapi")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.openapi").value(containsString("3.")))
                .andExpect(jsonPath("$.components.securitySchemes.bearerToken.type").value("http"))
                .andExpect(jsonPath("$.components.securitySchemes.bearerToken.scheme").value("bearer"))
                .andExpect(jsonPath("$.security[0].bearerToken").exists())
                .andExpect(jsonPath("$.paths['/api/v1/items/{id}'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/datasets/{name}/items'].get.parameters[?(@.name == 'status')]").exists());
    }

    private ResultActions get(String path) throws Exception {
        return fx.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(path)
                .header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ANNOTATOR)));
    }
}

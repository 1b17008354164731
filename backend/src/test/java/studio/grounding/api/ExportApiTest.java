package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.security.Role;

/** The streaming export endpoints: content, filters and errors (security is in {@link ApiSecurityTest}). */
@ApiTest
class ExportApiTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    DatasetService datasets;

    ApiFixture fx;
    DatasetSummary dataset;

    @BeforeAll
    void data() {
        fx = new ApiFixture(context);
        dataset = fx.dataset("export-api");
        ItemInfo dog = fx.item(dataset, "sa_1.png", 8, 6);
        fx.revise(dog, null, ApiFixture.caption("A dog sleeps.",
                List.of(new PhraseSpan(0, 5, "A dog", List.of(ApiFixture.box(6, 8, 1, 1, 2, 2)))), List.of()), Origin.IMPORT);
        ItemInfo cat = fx.item(dataset, "sa_2.png", 8, 6);
        fx.revise(cat, null, ApiFixture.caption("A cat.",
                List.of(new PhraseSpan(0, 5, "A cat", List.of(ApiFixture.box(6, 8, 0, 0, 3, 3)))), List.of()), Origin.IMPORT);
        datasets.setStatus(cat.id(), ItemStatus.ACCEPTED);
    }

    @Test
    void grandfExportStreamsTheLatestRevisionsInTheTrainingLoadersFormat() throws Exception {
        String body = fetch("/export/grandf").getResponse().getContentAsString(StandardCharsets.UTF_8);

        assertThat(body).startsWith("[").contains("\"file_name\":\"sa_1.png\"").contains("\"caption\":\"A dog sleeps.\"")
                .contains("\"A dog\":{\"token_positives\":[0,5]");
    }

    @Test
    void statusFilterKeepsOnlyThoseItems() throws Exception {
        String body = fetch("/export/jsonl?status=ACCEPTED").getResponse().getContentAsString(StandardCharsets.UTF_8);

        assertThat(body.lines().toList()).singleElement().asString().contains("sa_2.png").contains("\"accepted\"");
    }

    @Test
    void cocoGcgExportIsAZipWithTheMaskAndCaptionFiles() throws Exception {
        MvcResult result = fetch("/export/coco-gcg");
        assertThat(result.getResponse().getHeader(HttpHeaders.CONTENT_DISPOSITION)).contains("coco_gcg.zip");
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(result.getResponse().getContentAsByteArray()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String content = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(content).as(e.getName()).contains("\"images\"").contains("\"annotations\"");
                entries.add(e.getName());
            }
        }
        assertThat(entries).containsExactly("train_gcg_coco_mask_gt.json", "train_gcg_coco_caption_gt.json");
    }

    @Test
    void unknownDatasetIs404BeforeAnythingStreams() throws Exception {
        fx.mvc.perform(get("/api/v1/datasets/nope/export/grandf").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.CURATOR)))
                .andExpect(status().isNotFound());
    }

    @Test
    void unknownSplitIs400() throws Exception {
        fx.mvc.perform(get("/api/v1/datasets/" + dataset.name() + "/export/grandf?split=holdout")
                        .header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.CURATOR)))
                .andExpect(status().isBadRequest());
    }

    private MvcResult fetch(String path) throws Exception {
        MvcResult started = fx.mvc.perform(get("/api/v1/datasets/" + dataset.name() + path)
                        .header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.CURATOR)))
                .andExpect(status().isOk()).andReturn();
        return fx.mvc.perform(asyncDispatch(started)).andExpect(status().isOk())
                .andExpect(header().exists(HttpHeaders.CONTENT_DISPOSITION)).andReturn();
    }
}

package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Collections;
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
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.security.Role;

/** Drafts, submit (with its conflict and its refusal) and the review decisions over HTTP. */
@ApiTest
class EditingApiTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    RevisionService revisions;
    @Autowired
    DatasetService datasets;

    ApiFixture fx;
    DatasetSummary dataset;

    @BeforeAll
    void data() {
        fx = new ApiFixture(context);
        dataset = fx.dataset("editing");
    }

    Revision prefilled(ItemInfo item) {
        MaskRle dog = ApiFixture.box(6, 8, 0, 0, 2, 2);
        return fx.revise(item, null, ApiFixture.caption("A dog.", List.of(new PhraseSpan(0, 5, "A dog", List.of(dog))),
                List.of()), Origin.IMPORT);
    }

    static String body(Long base, String document) {
        return "{\"baseRevisionId\":" + base + ",\"document\":" + document + ",\"activeSeconds\":12.5}";
    }

    @Test
    void aDraftIsSavedReadBackAndABadOneIsRefusedNamingTheField() throws Exception {
        ItemInfo item = fx.item(dataset, "d_1.png", 8, 6);
        Revision base = prefilled(item);
        String doc = EditorDocument.of(base.caption()).toJson();
        String path = "/api/v1/items/" + item.id() + "/draft";

        call(put(path), Role.ANNOTATOR, body(base.id(), doc.replace("\"start\":0", "\"start\":-1")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.startsWith("phrases[0].start: span [-1, 5)")));
        call(get(path), Role.ANNOTATOR, null).andExpect(status().isNotFound());

        call(put(path), Role.ANNOTATOR, body(base.id(), doc)).andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(1));
        call(put(path), Role.ANNOTATOR, body(base.id(), doc)).andExpect(jsonPath("$.version").value(2));
        call(get(path), Role.ANNOTATOR, null).andExpect(status().isOk())
                .andExpect(jsonPath("$.baseRevisionId").value(base.id()))
                .andExpect(jsonPath("$.document.phrases[0].text").value("A dog"));
        // someone else holds the lock now
        call(put(path), Role.CURATOR, body(base.id(), doc)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString(fx.usernames.get(Role.ANNOTATOR))));
        call(delete(path), Role.ANNOTATOR, null).andExpect(status().isNoContent());
        call(get(path), Role.ANNOTATOR, null).andExpect(status().isNotFound());
        call(get("/api/v1/items/" + Long.MAX_VALUE + "/draft"), Role.ANNOTATOR, null).andExpect(status().isNotFound());
    }

    @Test
    void aDocumentWithTooManyMasksOrPhrasesIsRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        ItemInfo item = fx.item(dataset, "d_limits.png", 8, 6);
        Revision base = prefilled(item);
        String mask = "{\"size\":[6,8],\"counts\":\"" + ApiFixture.box(6, 8, 0, 0, 2, 2).counts()
                .replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        String manyMasks = "{\"caption\":\"A dog.\",\"phrases\":[],\"unlinkedMasks\":["
                + String.join(",", Collections.nCopies(2001, mask)) + "],\"accepted\":[]}";
        String phrase = "{\"start\":0,\"end\":5,\"text\":\"A dog\",\"flagged\":false,\"masks\":[]}";
        String manyPhrases = "{\"caption\":\"A dog.\",\"phrases\":["
                + String.join(",", Collections.nCopies(501, phrase)) + "],\"unlinkedMasks\":[],\"accepted\":[]}";
        String draft = "/api/v1/items/" + item.id() + "/draft";
        String submit = "/api/v1/items/" + item.id() + "/submit";

        for (var request : List.of(put(draft), post(submit))) {
            call(request, Role.ANNOTATOR, body(base.id(), manyMasks)).andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.detail").value(Matchers.startsWith("masks: more than 2000 masks")))
                    .andExpect(jsonPath("$.detail").value(Matchers.containsString("studio.editing.max-masks")));
        }
        call(put(draft), Role.ANNOTATOR, body(base.id(), manyPhrases)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.startsWith("phrases: more than 500 phrases")));
        call(get(draft), Role.ANNOTATOR, null).andExpect(status().isNotFound());
        assertThat(revisions.history(item.id())).hasSize(1);
    }

    @Test
    void submitStoresOrKeepsTheWorkOnAConflictOrListsTheProblems() throws Exception {
        ItemInfo item = fx.item(dataset, "d_2.png", 8, 6);
        Revision base = prefilled(item);
        String path = "/api/v1/items/" + item.id() + "/submit";
        String unlinked = EditorDocument.of(base.caption()).toJson()
                .replace("\"unlinkedMasks\":[]", "\"unlinkedMasks\":[{\"size\":[5,8],\"counts\":\"" + ApiFixture.box(5, 8, 0, 0, 1, 1).counts() + "\"}]");

        call(post(path), Role.ANNOTATOR, body(base.id(), unlinked)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.problems[0]").value(Matchers.startsWith("unlinkedMasks[0].size: [5, 8] does not match")))
                .andExpect(jsonPath("$.problems[1]").value(Matchers.startsWith("unlinkedMasks[0]: mask belongs to no phrase")));
        call(post(path), Role.ANNOTATOR, body(base.id(), unlinked.replace("\"accepted\":[]", "\"accepted\":1")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.problems[0]").value("accepted: must be an array"));
        assertThat(revisions.history(item.id())).hasSize(1);

        Revision theirs = fx.revise(item, base.id(), base.caption(), Origin.HUMAN);
        String edited = EditorDocument.of(base.caption()).toJson();
        call(post(path), Role.ANNOTATOR, body(base.id(), edited)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.theirs.id").value(theirs.id()))
                .andExpect(jsonPath("$.mine.conflictRevisionId").value(theirs.id()));

        call(post(path), Role.ANNOTATOR, body(theirs.id(), edited)).andExpect(status().isOk())
                .andExpect(jsonPath("$.result").value("submitted"))
                .andExpect(jsonPath("$.revision.parentId").value(theirs.id()));
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);

        String review = "/api/v1/items/" + item.id() + "/review/";
        call(post(review + "reject"), Role.REVIEWER, "{\"comment\":\" \"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.startsWith("comment:")));
        // a target the revision does not have (it has phrases 0 and 1): 400 naming it, nothing stored
        call(post(review + "reject"), Role.REVIEWER,
                "{\"comment\":\"tail\",\"targets\":[{\"target\":\"phrase:99\",\"comment\":\"x\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.startsWith("targets[0].target: \"phrase:99\" is not a phrase")));
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);
        call(post(review + "reject"), Role.REVIEWER,
                "{\"comment\":\"tail\",\"targets\":[{\"target\":\"phrase:0\",\"comment\":\"too small\"}]}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.kind").value("REJECTED"))
                .andExpect(jsonPath("$.author").value(fx.usernames.get(Role.REVIEWER)));
        call(post(review + "accept"), Role.REVIEWER, "{}").andExpect(status().isConflict());
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.REJECTED);
    }

    private ResultActions call(MockHttpServletRequestBuilder request, Role role, String body) throws Exception {
        request.header(HttpHeaders.AUTHORIZATION, fx.bearer(role));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return fx.mvc.perform(request);
    }
}

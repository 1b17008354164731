package studio.grounding.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static studio.grounding.WorkflowFixture.box;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.WorkflowFixture;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * Issue 14: phrases and masks keep stable keys from revision to revision (colours and review comments follow them,
 * not positions); a caption without keys has its positions as keys.
 */
@StudioIntegrationTest
class ElementKeysTest {

    @Autowired
    EditingService editing;
    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    UserService users;
    @Autowired
    ModelVersionService models;

    @Test
    void aSubmittedDocumentsIdsAreStoredAndComeBackWithTheRevision() {
        WorkflowFixture fixture = new WorkflowFixture(datasets, revisions, users, models);
        String ann = fixture.user("keys", Role.ANNOTATOR);
        ItemInfo item = fixture.prefilledItem();
        Revision prefill = revisions.latest(item.id()).orElseThrow();
        // imports and model output: the positions
        assertThat(prefill.keys()).isEqualTo(new ElementKeys(List.of(0, 1), List.of(0, 1)));

        // the annotator deleted "A dog" (key 0) and made "on" (key 2) before "grass" (key 1), with a new mask 7
        EditorDocument doc = EditorDocument.fromJson("""
                {"caption":"A dog on grass.","phrases":[
                  {"id":2,"start":6,"end":8,"text":"on","flagged":false,"masks":[{"id":7,"size":[6,8],"counts":"%s"}]},
                  {"id":1,"start":9,"end":14,"text":"grass","flagged":false,"masks":[{"id":1,"size":[6,8],"counts":"%s"}]}],
                 "unlinkedMasks":[],"accepted":[]}""".formatted(box(1, 1, 2, 2).counts(), box(0, 4, 8, 2).counts()));
        editing.open(item.id(), ann);
        assertThat(editing.submit(item.id(), ann, prefill.id(), doc, 3)).isInstanceOf(SubmitResult.Submitted.class);

        Revision submitted = revisions.latest(item.id()).orElseThrow();
        assertThat(submitted.keys()).isEqualTo(new ElementKeys(List.of(2, 1), List.of(7, 1)));
        EditorDocument back = EditorDocument.of(submitted);
        assertThat(back.keys()).isEqualTo(submitted.keys());
        assertThat(back.toJson()).contains("\"id\":2,\"start\":6").contains("\"id\":7,\"size\"");
        // the older revision keeps its own keys
        assertThat(revisions.get(prefill.id()).orElseThrow().keys().phrases()).containsExactly(0, 1);
    }

    @Test
    void idsAreDistinctAndNotNegativeAndMissingOnesAreNumberedOn() {
        String mask = box(0, 0, 2, 2).counts();
        String twoPhrases = """
                {"caption":"A dog on grass.","phrases":[
                  {%s"start":0,"end":5,"text":"A dog","flagged":false,"masks":[]},
                  {%s"start":9,"end":14,"text":"grass","flagged":false,"masks":[{"size":[6,8],"counts":"%s"}]}],
                 "unlinkedMasks":[],"accepted":[]}""";
        assertThat(EditorDocument.fromJson(twoPhrases.formatted("", "", mask)).keys())
                .isEqualTo(new ElementKeys(List.of(0, 1), List.of(0)));
        // a phrase added by a client without an id gets the next free number
        assertThat(EditorDocument.fromJson(twoPhrases.formatted("\"id\":3,", "", mask)).keys().phrases())
                .containsExactly(3, 4);
        assertThatThrownBy(() -> EditorDocument.fromJson(twoPhrases.formatted("\"id\":3,", "\"id\":3,", mask)))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageContaining("phrases[1].id: 3 is also the id of phrases[0]");
        assertThatThrownBy(() -> EditorDocument.fromJson(twoPhrases.formatted("\"id\":-1,", "\"id\":3,", mask)))
                .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("phrases[0].id: must be an integer");
    }
}

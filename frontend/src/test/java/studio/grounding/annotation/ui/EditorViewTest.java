package studio.grounding.annotation.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.browserless.SpringBrowserlessTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.annotation.EditSession;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import studio.grounding.web.ui.NotFoundView;
import studio.grounding.web.ui.UiTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@UiTest
@WithMockUser(username = "ann", roles = "ANNOTATOR")
class EditorViewTest extends SpringBrowserlessTest {

    private static final int W = 64;
    private static final int H = 48;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    EditingService editing;

    @Test
    void aFreeItemOpensEditableWithItsRevisionAndTakesTheLock() {
        Seeded s = seed();
        EditorView view = navigate("items/" + s.item().id() + "/edit", EditorView.class);

        assertThat(view.editor().isReadOnly()).isFalse();
        assertThat(view.lockInfo().isVisible()).isFalse();
        JsonNode session = JSON.readTree(view.editor().sessionJson());
        assertThat(session.get("itemId").asLong()).isEqualTo(s.item().id());
        assertThat(session.get("user").asString()).isEqualTo("ann");
        assertThat(session.get("imageUrl").asString()).isEqualTo("/media/images/" + s.item().image().contentHash());
        assertThat(session.get("imageWidth").asInt()).isEqualTo(W);
        assertThat(session.get("baseRevisionId").asLong()).isEqualTo(s.revision().id());
        assertThat(session.get("revision").get("caption").asString()).isEqualTo("A dog chases a red ball.");
        assertThat(session.get("revision").get("phrases").get(0).get("masks").get(0).get("counts").asString())
                .isEqualTo(s.revision().caption().phrases().get(0).masks().get(0).counts());
        assertThat(session.get("draft").isNull()).isTrue();

        // ann holds the item now: bob gets it read-only
        EditSession bob = editing.open(s.item().id(), "bob");
        assertThat(bob.editable()).isFalse();
        assertThat(bob.lockHolder()).isEqualTo("ann");
    }

    @Test
    void anItemHeldByAnotherUserIsReadOnlyWithWhoAndSince() {
        Seeded s = seed();
        assertThat(editing.open(s.item().id(), "bob").editable()).isTrue();

        EditorView view = navigate("items/" + s.item().id() + "/edit", EditorView.class);

        assertThat(view.editor().isReadOnly()).isTrue();
        assertThat(view.lockInfo().isVisible()).isTrue();
        assertThat(view.lockInfo().getText()).startsWith("Read-only: held by bob since ");
        assertThat(view.editor().getLockMessage()).isEqualTo(view.lockInfo().getText());
        // read-only: the editor gets no draft to restore, and ann's save is refused without storing anything
        String answer = view.editor().saveDraft(changedCaption(s));
        assertThat(JSON.readTree(answer).get("ok").asBoolean()).isFalse();
        assertThat(JSON.readTree(answer).get("lockLost").asBoolean()).isTrue();
        assertThat(editing.draft(s.item().id(), "ann")).isEmpty();
    }

    @Test
    void theDraftIsSavedThroughTheEditorAndRestoredOnReopen() {
        Seeded s = seed();
        EditorView view = navigate("items/" + s.item().id() + "/edit", EditorView.class);
        String answer = view.editor().saveDraft(changedCaption(s));
        assertThat(JSON.readTree(answer).get("ok").asBoolean()).as(answer).isTrue();
        assertThat(JSON.readTree(answer).get("version").asLong()).isEqualTo(1);
        assertThat(datasets.item(s.item().id()).orElseThrow().status()).isEqualTo(ItemStatus.IN_PROGRESS);

        // a bad document: the field is named, nothing stored
        String bad = view.editor().saveDraft("{\"caption\":\"x\",\"phrases\":[{\"start\":0,\"end\":9,\"text\":\"x\","
                + "\"flagged\":false,\"masks\":[]}],\"unlinkedMasks\":[],\"accepted\":[]}");
        assertThat(JSON.readTree(bad).get("ok").asBoolean()).isFalse();
        assertThat(JSON.readTree(bad).get("message").asString()).contains("phrases[0]");
        assertThat(editing.draft(s.item().id(), "ann").orElseThrow().version()).isEqualTo(1);

        EditorView again = navigate("items/" + s.item().id() + "/edit", EditorView.class);
        JsonNode draft = JSON.readTree(again.editor().sessionJson()).get("draft");
        assertThat(draft.get("document").get("caption").asString()).isEqualTo("A big dog chases a red ball.");
        assertThat(draft.get("document").get("phrases").get(0).get("start").asInt()).isZero();
        assertThat(draft.get("savedAt").asLong()).isPositive();
        assertThat(again.editor().isReadOnly()).isFalse();
    }

    @Test
    void submitListsProblemsThenStoresAHumanRevision() {
        Seeded s = seed();
        EditorView view = navigate("items/" + s.item().id() + "/edit", EditorView.class);
        EditorDocument doc = EditorDocument.of(s.revision().caption());
        // "a red ball" has no mask: refused, nothing stored
        JsonNode refused = JSON.readTree(view.editor().submit(doc.toJson(), 12.5));
        assertThat(refused.get("result").asString()).isEqualTo("rejected");
        assertThat(refused.get("problems").get(0).asString()).contains("phrases[1].masks");
        assertThat(revisions.latest(s.item().id()).orElseThrow().id()).isEqualTo(s.revision().id());

        EditorDocument accepted = new EditorDocument(doc.caption(), doc.phrases(), doc.unlinkedMasks(),
                List.of("phrase:1:no-mask"));
        JsonNode done = JSON.readTree(view.editor().submit(accepted.toJson(), 12.5));
        assertThat(done.get("result").asString()).as(done.toString()).isEqualTo("submitted");
        Revision latest = revisions.latest(s.item().id()).orElseThrow();
        assertThat(latest.origin()).isEqualTo(Origin.HUMAN);
        assertThat(latest.author()).isEqualTo("ann");
        assertThat(latest.parentId()).isEqualTo(s.revision().id());
        assertThat(datasets.item(s.item().id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);
    }

    @Test
    void aSubmitOnAStaleBaseKeepsBothAndCanGoOnTopOfTheirs() {
        Seeded s = seed();
        EditorView view = navigate("items/" + s.item().id() + "/edit", EditorView.class);
        // meanwhile ann's lock lapses and bob submits his version
        editing.release(s.item().id(), "ann");
        editing.open(s.item().id(), "bob");
        EditorDocument bobs = new EditorDocument("Bob's caption: A dog.", List.of(), List.of(),
                List.of());
        assertThat(editing.submit(s.item().id(), "bob", s.revision().id(), bobs, 3))
                .isInstanceOf(studio.grounding.annotation.SubmitResult.Submitted.class);
        long theirs = revisions.latest(s.item().id()).orElseThrow().id();

        JsonNode conflict = JSON.readTree(view.editor().submit(changedCaption(s).replace("\"accepted\":[]",
                "\"accepted\":[\"phrase:1:no-mask\"]"), 20));
        assertThat(conflict.get("result").asString()).as(conflict.toString()).isEqualTo("conflict");
        assertThat(conflict.get("theirsRevisionId").asLong()).isEqualTo(theirs);
        assertThat(conflict.get("theirsAuthor").asString()).isEqualTo("bob");
        assertThat(conflict.get("theirs").get("caption").asString()).isEqualTo("Bob's caption: A dog.");
        // mine is kept as my draft, marked with their revision; theirs stays the latest
        assertThat(editing.draft(s.item().id(), "ann").orElseThrow().documentJson()).contains("A big dog");
        assertThat(revisions.latest(s.item().id()).orElseThrow().id()).isEqualTo(theirs);

        view.editor().keepMine(theirs);
        assertThat(view.baseRevisionId()).isEqualTo(theirs);
        assertThatThrownBy(() -> view.editor().keepMine(s.revision().id() + 999_999))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theItemViewAndTheItemsGridLinkToTheEditor() {
        Seeded s = seed();
        navigate("items/" + s.item().id(), ItemView.class);
        assertThat($(com.vaadin.flow.router.RouterLink.class).id("edit-link").getHref())
                .isEqualTo("items/" + s.item().id() + "/edit");
        String dataset = datasets.get(s.item().datasetId()).name();
        navigate("datasets/" + dataset, studio.grounding.dataset.ui.DatasetItemsView.class);
        @SuppressWarnings("unchecked")
        com.vaadin.flow.component.grid.Grid<ItemInfo> grid = $(com.vaadin.flow.component.grid.Grid.class).first();
        var edit = (com.vaadin.flow.component.html.Anchor) test(grid).getCellComponent(0, "edit");
        assertThat(edit.getHref()).isEqualTo("items/" + s.item().id() + "/edit");
    }

    @Test
    void anUnknownItemIsNotFound() {
        assertThatThrownBy(() -> navigate("items/999999999/edit", EditorView.class))
                .hasMessageContaining("NotFoundView");
        assertThat(getCurrentView()).isInstanceOf(NotFoundView.class);
    }

    private static String changedCaption(Seeded s) {
        EditorDocument doc = EditorDocument.of(s.revision().caption());
        EditorDocument.Phrase dog = doc.phrases().get(0);
        EditorDocument.Phrase ball = doc.phrases().get(1);
        return new EditorDocument("A big dog chases a red ball.", List.of(
                new EditorDocument.Phrase(0, 9, "A big dog", dog.masks(), false),
                new EditorDocument.Phrase(ball.start() + 4, ball.end() + 4, ball.text(), ball.masks(), false)),
                doc.unlinkedMasks(), List.of()).toJson();
    }

    private record Seeded(ItemInfo item, Revision revision) {
    }

    private Seeded seed() {
        DatasetSummary dataset = datasets.create("editor-" + UUID.randomUUID(), null, "admin");
        String hash = String.format("%064x", dataset.id() * 7_919 + 17);
        ImageInfo image = datasets.addImage(dataset.id(), "photo.png", new StoredImage(hash, 100, "image/png", W, H),
                "test", Split.TRAIN);
        ItemInfo item = datasets.ensureItem(image);
        MaskRle dog = new MaskRle(H, W, Rle.fromBbox(new double[] {2, 2, 20, 20}, H, W).toCompressedString());
        GroundedCaption caption = new GroundedCaption("A dog chases a red ball.", List.of(
                new PhraseSpan(0, 5, "A dog", List.of(dog)),
                new PhraseSpan(13, 23, "a red ball", List.of())));
        Revision revision = revisions.append(new NewRevision(item.id(), null, caption, Origin.IMPORT, "importer", null,
                "test.json", List.of(), null, H, W));
        return new Seeded(datasets.item(item.id()).orElseThrow(), revision);
    }
}

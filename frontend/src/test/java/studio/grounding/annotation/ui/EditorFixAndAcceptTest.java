package studio.grounding.annotation.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.ItemEvent;
import studio.grounding.annotation.ItemEventKind;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import studio.grounding.review.ReviewService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;
import studio.grounding.web.ui.UiTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Fix and accept" from the review page opens the editor: a reviewer editing a SUBMITTED item gets a "Fix and accept"
 * submit that goes through {@link ReviewService#fixAndAccept} (the annotator's submit refuses a SUBMITTED item).
 */
@UiTest
class EditorFixAndAcceptTest extends SpringBrowserlessTest {

    private static final int W = 64;
    private static final int H = 48;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ANNOTATOR = "ann-fix";
    private static final String REVIEWER = "rev-fix";

    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    EditingService editing;
    @Autowired
    ReviewService review;
    @Autowired
    UserService users;

    @BeforeEach
    void users() {
        if (users.find(ANNOTATOR).isEmpty()) {
            users.create(ANNOTATOR, "Ann", "tulip-ledger-42", Set.of(Role.ANNOTATOR));
        }
        if (users.find(REVIEWER).isEmpty()) {
            users.create(REVIEWER, "Rita", "tulip-ledger-42", Set.of(Role.REVIEWER));
        }
    }

    @Test
    @WithMockUser(username = REVIEWER, roles = "REVIEWER")
    void aReviewerEditingASubmittedItemFixesAndAcceptsIt() {
        ItemInfo item = submittedBy(ANNOTATOR);
        Revision submitted = revisions.latest(item.id()).orElseThrow();

        EditorView view = navigate("items/" + item.id() + "/edit", EditorView.class);

        assertThat(view.fixMode()).isTrue();
        assertThat(view.editor().isReadOnly()).isFalse();
        assertThat(view.editor().getSubmitLabel()).isEqualTo("Fix and accept");
        EditorDocument fixed = new EditorDocument("A brown dog on green grass.", List.of(
                new EditorDocument.Phrase(0, 11, "A brown dog", List.of(box(0, 0, 30, 30)), false),
                new EditorDocument.Phrase(15, 26, "green grass", List.of(box(0, 30, 64, 18)), false)),
                List.of(), List.of());
        JsonNode done = JSON.readTree(view.editor().submit(fixed.toJson(), 7));

        assertThat(done.get("result").asString()).as(done.toString()).isEqualTo("submitted");
        Revision latest = revisions.latest(item.id()).orElseThrow();
        assertThat(latest.author()).isEqualTo(REVIEWER);
        assertThat(latest.parentId()).isEqualTo(submitted.id());
        assertThat(latest.caption().caption()).isEqualTo("A brown dog on green grass.");
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.ACCEPTED);
        ItemEvent last = review.events(item.id()).getLast();
        assertThat(last.kind()).isEqualTo(ItemEventKind.FIXED_AND_ACCEPTED);
        assertThat(last.author()).isEqualTo(REVIEWER);
        assertThat(last.revisionId()).isEqualTo(latest.id());
    }

    @Test
    @WithMockUser(username = REVIEWER, roles = "REVIEWER")
    void aReviewerMayNotFixAndAcceptTheirOwnSubmission() {
        ItemInfo item = submittedBy(REVIEWER);
        Revision submitted = revisions.latest(item.id()).orElseThrow();

        EditorView view = navigate("items/" + item.id() + "/edit", EditorView.class);
        assertThat(view.editor().getSubmitLabel()).isEqualTo("Fix and accept");
        JsonNode refused = JSON.readTree(view.editor().submit(EditorDocument.of(submitted.caption()).toJson(), 3));

        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.get("message").asString()).as(refused.toString()).contains(REVIEWER);
        assertThat(revisions.latest(item.id()).orElseThrow().id()).isEqualTo(submitted.id());
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);
    }

    @Test
    @WithMockUser(username = ANNOTATOR, roles = "ANNOTATOR")
    void theAnnotatorsSubmitKeepsItsLabelAndASubmittedItemIsReadOnlyForThem() {
        ItemInfo fresh = seed();
        EditorView view = navigate("items/" + fresh.id() + "/edit", EditorView.class);
        assertThat(view.fixMode()).isFalse();
        assertThat(view.editor().getSubmitLabel()).isEqualTo("Submit");
        editing.release(fresh.id(), ANNOTATOR);

        ItemInfo item = submittedBy(ANNOTATOR);
        EditorView submitted = navigate("items/" + item.id() + "/edit", EditorView.class);
        assertThat(submitted.fixMode()).isFalse();
        assertThat(submitted.editor().isReadOnly()).isTrue();
        assertThat(submitted.editor().getLockMessage()).contains("only a reviewer can change it now");
    }

    private ItemInfo submittedBy(String user) {
        ItemInfo item = seed();
        Revision base = revisions.latest(item.id()).orElseThrow();
        assertThat(editing.open(item.id(), user).editable()).isTrue();
        EditorDocument doc = new EditorDocument("A brown dog on grass.", List.of(
                new EditorDocument.Phrase(0, 11, "A brown dog", List.of(box(0, 0, 30, 30)), false),
                new EditorDocument.Phrase(15, 20, "grass", List.of(box(0, 30, 64, 18)), false)),
                List.of(), List.of());
        assertThat(editing.submit(item.id(), user, base.id(), doc, 20)).isInstanceOf(SubmitResult.Submitted.class);
        return datasets.item(item.id()).orElseThrow();
    }

    private ItemInfo seed() {
        DatasetSummary dataset = datasets.create("fix-" + UUID.randomUUID(), null, "admin");
        String hash = "%064x".formatted(UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE);
        ImageInfo image = datasets.addImage(dataset.id(), "photo.png", new StoredImage(hash, 100, "image/png", W, H),
                "test", Split.TRAIN);
        ItemInfo item = datasets.ensureItem(image);
        revisions.append(new NewRevision(item.id(), null, new GroundedCaption("A dog on grass.", List.of(
                new PhraseSpan(0, 5, "A dog", List.of(mask(0, 0, 20, 20))),
                new PhraseSpan(9, 14, "grass", List.of(mask(0, 30, 64, 18))))), Origin.IMPORT, "importer", null,
                "test.json", List.of(), null, H, W));
        return datasets.item(item.id()).orElseThrow();
    }

    private static MaskRle mask(int x, int y, int w, int h) {
        return new MaskRle(H, W, Rle.fromBbox(new double[] {x, y, w, h}, H, W).toCompressedString());
    }

    private static EditorDocument.Mask box(int x, int y, int w, int h) {
        MaskRle m = mask(x, y, w, h);
        return new EditorDocument.Mask(m.height(), m.width(), m.counts());
    }
}

package studio.grounding.annotation.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.dom.Element;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import studio.grounding.web.ui.NotFoundView;
import studio.grounding.web.ui.UiTest;

@UiTest
@WithMockUser(username = "admin", roles = "ANNOTATOR")
class ItemViewTest extends SpringBrowserlessTest {

    private static final int W = 64;
    private static final int H = 48;

    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;

    @Test
    void showsTheCaptionThePhrasesAndWhatIsWrongWithThem() {
        ItemInfo item = newItem();
        String text = "A dog chases a red ball past a tree.";
        MaskRle dog = mask(new double[] {2, 2, 20, 20});
        MaskRle ball = mask(new double[] {30, 10, 8, 8});
        MaskRle stray = mask(new double[] {50, 30, 10, 10});
        GroundedCaption caption = new GroundedCaption(text, List.of(
                new PhraseSpan(0, 5, "A dog", List.of(dog)),
                new PhraseSpan(13, 23, "a red ball", List.of(ball)),
                new PhraseSpan(29, 35, "a tree", List.of())),
                List.of(stray));
        revisions.append(new NewRevision(item.id(), null, caption, Origin.IMPORT, "importer", null, "test.json",
                List.of("1 mask more than phrases"), null, H, W));

        ItemView view = navigate("items/" + item.id(), ItemView.class);

        assertThat(view.caption().getElement().getTextRecursively()).isEqualTo(text);
        List<String> marked = $(Span.class, view.caption()).all().stream()
                .filter(s -> s.hasClassName("phrase-mark")).map(Span::getText).toList();
        assertThat(marked).containsExactly("A dog", "a red ball", "a tree");
        assertThat(texts(view.phraseList())).containsExactly("A dog1 mask", "a red ball1 mask", "a tree0 masks");
        assertThat(texts(view.phrasesWithoutMasks())).containsExactly("“a tree” [29, 35)");
        assertThat(texts(view.masksWithoutPhrases())).containsExactly("Mask 1 (64 × 48)");
        assertThat(view.revisionInfo().getText()).contains("import").contains("importer");
        assertThat(view.getElement().getTextRecursively()).contains("1 mask more than phrases");

        // the canvas gets every mask as its RLE string, the unlinked one with phrase -1
        MaskCanvas canvas = view.canvas();
        String masksJson = canvas.getElement().getProperty("masksJson");
        assertThat(masksJson).contains("\"phraseIndex\":0").contains("\"phraseIndex\":1")
                .contains("\"phraseIndex\":-1").doesNotContain("\"phraseIndex\":2");
        assertThat(canvas.getElement().getProperty("src")).isEqualTo("/media/images/" + item.image().contentHash());

        // hover a phrase: its masks stand out; a click on a mask selects its phrase
        Element ballRow = view.phraseList().getChildren().toList().get(1).getElement();
        fire(ballRow, "mouseenter");
        assertThat(canvas.getHighlighted()).isEqualTo(1);
        fire(ballRow, "mouseleave");
        assertThat(canvas.getHighlighted()).isEqualTo(-1);
        ComponentUtil.fireEvent(canvas, new MaskCanvas.MaskClickEvent(canvas, true, 0, 0));
        assertThat(view.selected()).isZero();
        assertThat(canvas.getHighlighted()).isZero();
        assertThat(view.phraseList().getChildren().toList().get(0).getClassNames()).contains("selected");

        test(view.outline()).click();
        assertThat(canvas.isOutline()).isTrue();
        view.opacity().setValue("80");
        assertThat(canvas.getOpacity()).isEqualTo(0.8);
    }

    @Test
    void anItemWithoutRevisionShowsItsPhoto() {
        ItemInfo item = newItem();
        ItemView view = navigate("items/" + item.id(), ItemView.class);
        assertThat(view.revisionInfo().getText()).isEqualTo("No revision yet");
        assertThat(view.canvas().getElement().getProperty("masksJson")).isEqualTo("[]");
    }

    @Test
    void anUnknownItemIsNotFound() {
        assertThatThrownBy(() -> navigate("items/999999999", ItemView.class)).hasMessageContaining("NotFoundView");
        assertThat(getCurrentView()).isInstanceOf(NotFoundView.class);
        assertThatThrownBy(() -> navigate("items/not-a-number", ItemView.class)).hasMessageContaining("NotFoundView");
    }

    @Test
    void linksBackToItsDataset() {
        ItemInfo item = newItem();
        ItemView view = navigate("items/" + item.id(), ItemView.class);
        var back = $(com.vaadin.flow.component.html.Anchor.class, view).all().stream()
                .filter(a -> a.hasClassName("back-link")).findFirst().orElseThrow();
        assertThat(back.getHref()).isEqualTo("datasets/" + datasets.get(item.datasetId()).name());
    }

    private ItemInfo newItem() {
        DatasetSummary dataset = datasets.create("items-" + UUID.randomUUID(), null, "admin");
        String hash = String.format("%064x", dataset.id() * 7_919 + 13);
        ImageInfo image = datasets.addImage(dataset.id(), "photo.png", new StoredImage(hash, 100, "image/png", W, H),
                "test", Split.TRAIN);
        return datasets.ensureItem(image);
    }

    private static MaskRle mask(double[] xywh) {
        return new MaskRle(H, W, Rle.fromBbox(xywh, H, W).toCompressedString());
    }

    private static List<String> texts(Component list) {
        return list.getChildren().map(c -> c.getElement().getTextRecursively()).toList();
    }

    private static void fire(Element element, String event) {
        element.getNode().getFeature(com.vaadin.flow.internal.nodefeature.ElementListenerMap.class)
                .fireEvent(new com.vaadin.flow.dom.DomEvent(element, event, tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
    }
}

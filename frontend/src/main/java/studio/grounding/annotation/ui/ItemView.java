package studio.grounding.annotation.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.html.Input;
import com.vaadin.flow.component.html.NativeLabel;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import jakarta.annotation.security.PermitAll;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;

/**
 * One item, read-only (in the annotation feature, which the dataset feature must not depend on): the photo with the latest revision's masks (decoded in the browser by {@code <mask-canvas>}),
 * the caption with each phrase in its mask colour, the phrases, and what is wrong with them (phrases without masks,
 * masks without phrases), with the revision's origin, author and time.
 */
@Route("items/:" + ItemView.ID)
@PermitAll
public class ItemView extends HorizontalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String ID = "id";
    /**
     * Phrase colours, distinct on photos; the phrase with stable key k ({@link studio.grounding.annotation.ElementKeys}) gets
     * {@code PALETTE[k % size]}, in the editor (grounding-editor.ts) as here and on the review page.
     */
    public static final List<String> PALETTE = List.of("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4",
            "#f032e6", "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324");
    public static final String UNLINKED_COLOR = "#bdbdbd";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final DatasetService datasets;
    private final RevisionService revisions;

    private final MaskCanvas canvas = new MaskCanvas();
    private final VerticalLayout side = new VerticalLayout();
    private final H2 title = new H2();
    private final Div caption = new Div();
    private final UnorderedList phraseList = new UnorderedList();
    private final UnorderedList phrasesWithoutMasks = new UnorderedList();
    private final UnorderedList masksWithoutPhrases = new UnorderedList();
    private final Span revisionInfo = new Span();
    private final UnorderedList warnings = new UnorderedList();
    private final Input opacity = new Input(ValueChangeMode.EAGER);
    private final Checkbox outline = new Checkbox("Outline");
    private final Div backLink = new Div();
    private final List<Component> phraseMarks = new ArrayList<>();
    private ItemInfo item;
    private int selected = -1;
    private List<String> phraseColors = List.of();

    public ItemView(DatasetService datasets, RevisionService revisions) {
        this.datasets = datasets;
        this.revisions = revisions;
        addClassName("item-view");
        setSizeFull();
        setPadding(true);

        canvas.setId("item-canvas");
        canvas.addClassName("item-canvas");
        canvas.setColors(PALETTE);
        canvas.setUnlinkedColor(UNLINKED_COLOR);
        canvas.setOpacity(0.5);
        canvas.addMaskClickListener(e -> select(e.getPhraseIndex()));

        opacity.setId("opacity");
        opacity.setType("range");
        opacity.getElement().setAttribute("min", "0").setAttribute("max", "100").setAttribute("step", "5");
        opacity.setValue("50");
        opacity.setWidthFull();
        opacity.addValueChangeListener(e -> canvas.setOpacity(percent(e.getValue()) / 100.0));
        outline.setId("outline");
        outline.addValueChangeListener(e -> canvas.setOutline(Boolean.TRUE.equals(e.getValue())));

        caption.setId("caption");
        caption.addClassName("item-caption");
        phraseList.setId("phrases");
        phraseList.addClassName("phrase-list");
        phrasesWithoutMasks.setId("phrases-without-masks");
        phrasesWithoutMasks.addClassName("problem-list");
        masksWithoutPhrases.setId("masks-without-phrases");
        masksWithoutPhrases.addClassName("problem-list");
        revisionInfo.setId("revision-info");
        revisionInfo.addClassName("revision-info");
        warnings.setId("warnings");
        warnings.addClassName("problem-list");

        side.addClassName("item-side");
        side.setWidth("420px");
        side.setMinWidth("320px");
        side.setHeightFull();
        side.getStyle().set("overflow", "auto").set("flex-shrink", "0");
        NativeLabel opacityLabel = new NativeLabel("Mask opacity");
        opacityLabel.setFor(opacity);
        VerticalLayout opacityBox = new VerticalLayout(opacityLabel, opacity);
        opacityBox.setPadding(false);
        opacityBox.setSpacing(false);
        HorizontalLayout controls = new HorizontalLayout(opacityBox, outline);
        controls.setWidthFull();
        controls.setAlignItems(FlexComponent.Alignment.END);
        side.add(backLink, title, revisionInfo, caption, controls, new H4("Phrases"), phraseList,
                new H4("Phrases without masks"), phrasesWithoutMasks, new H4("Masks without phrases"),
                masksWithoutPhrases, new H4("Warnings"), warnings);

        canvas.setHeightFull();
        Div canvasBox = new Div(canvas);
        canvasBox.addClassName("item-canvas-box");
        canvasBox.setHeightFull();
        canvasBox.getStyle().set("flex", "1 1 0").set("min-width", "0");
        add(canvasBox, side);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<ItemInfo> found = event.getRouteParameters().get(ID).flatMap(ItemView::parseId)
                .flatMap(datasets::item);
        if (found.isEmpty()) {
            event.rerouteToError(NotFoundException.class, "No such item");
            return;
        }
        show(found.get(), revisions.latest(found.get().id()));
    }

    @Override
    public String getPageTitle() {
        return (item == null ? "Item" : item.image().fileName()) + " · Grounding Studio";
    }

    static int percent(String value) {
        try {
            return Math.max(0, Math.min(100, (int) Math.round(Double.parseDouble(value))));
        } catch (NumberFormatException | NullPointerException e) {
            return 50;
        }
    }

    static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void show(ItemInfo item, Optional<Revision> revision) {
        this.item = item;
        selected = -1;
        title.setText(item.image().fileName());
        backLink.removeAll();
        DatasetSummary dataset = datasets.get(item.datasetId());
        Anchor back = new Anchor("datasets/" + URLEncoder.encode(dataset.name(), StandardCharsets.UTF_8)
                .replace("+", "%20"), "← " + dataset.name());
        back.getElement().setAttribute("router-link", true);
        back.addClassName("back-link");
        RouterLink edit = new RouterLink("Edit", EditorView.class,
                new RouteParameters(EditorView.ITEM_ID, String.valueOf(item.id())));
        edit.setId("edit-link");
        edit.addClassName("edit-link");
        edit.getStyle().set("margin-left", "var(--lumo-space-m)");
        backLink.add(back, edit);

        canvas.setSrc("/media/images/" + item.image().contentHash());
        canvas.setImageSize(item.image().width(), item.image().height());

        caption.removeAll();
        phraseList.removeAll();
        phrasesWithoutMasks.removeAll();
        masksWithoutPhrases.removeAll();
        warnings.removeAll();
        phraseMarks.clear();
        if (revision.isEmpty()) {
            revisionInfo.setText("No revision yet");
            caption.add(new Paragraph("This item has no caption yet."));
            canvas.setMasks(List.of());
            return;
        }
        Revision r = revision.get();
        GroundedCaption gc = r.caption();
        phraseColors = phraseColors(r);
        canvas.setColors(phraseColors);
        revisionInfo.setText("Revision " + r.id() + " · " + r.origin().name().toLowerCase(Locale.ROOT) + " · "
                + r.author() + (r.createdAt() == null ? "" : " · " + TIME.format(r.createdAt())));

        List<MaskCanvas.Mask> masks = new ArrayList<>();
        int maskId = 0;
        for (int i = 0; i < gc.phrases().size(); i++) {
            for (MaskRle m : gc.phrases().get(i).masks()) {
                masks.add(new MaskCanvas.Mask(maskId++, i, m.counts(), m.height(), m.width()));
            }
        }
        for (MaskRle m : gc.unlinkedMasks()) {
            masks.add(new MaskCanvas.Mask(maskId++, -1, m.counts(), m.height(), m.width()));
        }
        canvas.setMasks(masks);

        renderCaption(gc);
        for (int i = 0; i < gc.phrases().size(); i++) {
            PhraseSpan p = gc.phrases().get(i);
            ListItem row = new ListItem();
            row.addClassName("phrase-row");
            row.getElement().setAttribute("data-phrase", String.valueOf(i));
            Span swatch = new Span();
            swatch.addClassName("phrase-swatch");
            swatch.getStyle().set("background", colorOf(i));
            Span text = new Span(p.text());
            text.addClassName("phrase-text");
            int count = p.masks().size();
            Span masksLabel = new Span(count == 1 ? "1 mask" : count + " masks");
            masksLabel.addClassName(count == 0 ? "phrase-mask-count-none" : "phrase-mask-count");
            row.add(swatch, text, masksLabel);
            interactive(row, i);
            phraseList.add(row);
            if (count == 0) {
                phrasesWithoutMasks.add(new ListItem("“" + p.text() + "” [" + p.start() + ", " + p.end() + ")"));
            }
        }
        for (int u = 0; u < gc.unlinkedMasks().size(); u++) {
            MaskRle m = gc.unlinkedMasks().get(u);
            masksWithoutPhrases.add(new ListItem("Mask " + (u + 1) + " (" + m.width() + " × " + m.height() + ")"));
        }
        if (phrasesWithoutMasks.getChildren().findAny().isEmpty()) {
            phrasesWithoutMasks.add(none());
        }
        if (masksWithoutPhrases.getChildren().findAny().isEmpty()) {
            masksWithoutPhrases.add(none());
        }
        r.warnings().forEach(w -> warnings.add(new ListItem(w)));
        gc.problems().forEach(p -> warnings.add(new ListItem(p.field() + ": " + p.reason())));
        if (warnings.getChildren().findAny().isEmpty()) {
            warnings.add(none());
        }
    }

    private static ListItem none() {
        ListItem none = new ListItem("None");
        none.addClassName("none");
        return none;
    }

    /** The caption as text with the phrase spans marked in their mask colours; overlapping or bad spans stay plain. */
    private void renderCaption(GroundedCaption gc) {
        String text = gc.caption();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < gc.phrases().size(); i++) {
            PhraseSpan p = gc.phrases().get(i);
            if (p.start() >= 0 && p.end() <= text.length() && p.start() < p.end()) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt(i -> gc.phrases().get(i).start()));
        int cursor = 0;
        for (int i : order) {
            PhraseSpan p = gc.phrases().get(i);
            if (p.start() < cursor) {
                continue;
            }
            if (p.start() > cursor) {
                caption.add(new Span(text.substring(cursor, p.start())));
            }
            Span mark = new Span(text.substring(p.start(), p.end()));
            mark.addClassName("phrase-mark");
            mark.getElement().setAttribute("data-phrase", String.valueOf(i));
            mark.getStyle().set("--phrase-color", colorOf(i));
            interactive(mark, i);
            caption.add(mark);
            cursor = p.end();
        }
        if (cursor < text.length()) {
            caption.add(new Span(text.substring(cursor)));
        }
    }

    private void interactive(Component c, int phraseIndex) {
        phraseMarks.add(c);
        c.getElement().addEventListener("mouseenter", e -> canvas.setHighlighted(phraseIndex));
        c.getElement().addEventListener("mouseleave", e -> canvas.setHighlighted(selected));
        c.getElement().addEventListener("click", e -> select(phraseIndex == selected ? -1 : phraseIndex));
    }

    /** Selects a phrase (from a mask click or the lists): its masks stay highlighted, its rows marked. */
    void select(int phraseIndex) {
        selected = phraseIndex;
        canvas.setHighlighted(phraseIndex);
        for (Component c : phraseMarks) {
            boolean on = String.valueOf(phraseIndex).equals(c.getElement().getAttribute("data-phrase"));
            c.getElement().getClassList().set("selected", on && phraseIndex >= 0);
        }
    }

    private String colorOf(int phraseIndex) {
        return phraseColors.get(phraseIndex);
    }

    /** The colour of the phrase with this stable key: the same on every page. */
    public static String colorOfKey(int key) {
        return PALETTE.get(key % PALETTE.size());
    }

    /** The colours of a revision's phrases, in phrase order, by their stable keys. */
    public static List<String> phraseColors(Revision revision) {
        return revision.keys().phrases().stream().map(ItemView::colorOfKey).toList();
    }

    MaskCanvas canvas() {
        return canvas;
    }

    Div caption() {
        return caption;
    }

    UnorderedList phraseList() {
        return phraseList;
    }

    UnorderedList phrasesWithoutMasks() {
        return phrasesWithoutMasks;
    }

    UnorderedList masksWithoutPhrases() {
        return masksWithoutPhrases;
    }

    Span revisionInfo() {
        return revisionInfo;
    }

    Input opacity() {
        return opacity;
    }

    Checkbox outline() {
        return outline;
    }

    int selected() {
        return selected;
    }
}

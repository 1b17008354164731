package studio.grounding.snapshot.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.context.SecurityContextHolder;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.Split;
import studio.grounding.snapshot.SnapshotComparison;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;

/**
 * A dataset's snapshots for curators: freeze the accepted items, list the snapshots with their counts, download a
 * snapshot's export (GranD_f JSON, COCO GCG zip) and compare two snapshots.
 */
@Route("snapshots")
@PageTitle("Snapshots · Grounding Studio")
@Menu(order = 30, icon = "vaadin:camera", title = "Snapshots")
@RolesAllowed({"CURATOR", "ADMIN"})
public class SnapshotsView extends VerticalLayout {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final SnapshotService snapshots;
    private final ComboBox<DatasetSummary> dataset = new ComboBox<>("Dataset");
    private final TextField note = new TextField("Note");
    private final Button create = new Button("Create snapshot");
    private final Span message = new Span();
    private final Grid<SnapshotInfo> grid = new Grid<>(SnapshotInfo.class, false);
    private final ComboBox<Integer> compareA = new ComboBox<>("Compare");
    private final ComboBox<Integer> compareB = new ComboBox<>("with");
    private final Span comparisonSummary = new Span();
    private final Grid<Difference> differences = new Grid<>(Difference.class, false);

    /** One line of a comparison: what happened to the item. */
    public record Difference(String change, String fileName, long itemId, Long revisionA, Long revisionB) {
    }

    public SnapshotsView(SnapshotService snapshots, DatasetService datasets) {
        this.snapshots = snapshots;
        addClassName("snapshots-view");
        setSizeFull();

        dataset.setId("snapshot-dataset");
        dataset.setItems(datasets.list());
        dataset.setItemLabelGenerator(DatasetSummary::name);
        dataset.setWidth("20rem");
        dataset.addValueChangeListener(e -> refresh());
        note.setId("snapshot-note");
        note.setMaxLength(500);
        note.setWidth("22rem");
        create.setId("create-snapshot");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickListener(e -> create());
        message.setId("snapshot-message");
        HorizontalLayout form = new HorizontalLayout(dataset, note, create);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);

        grid.setId("snapshots");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(SnapshotInfo::number).setHeader("#").setAutoWidth(true).setFlexGrow(0).setKey("number");
        grid.addColumn(s -> s.contentHash().substring(0, 12)).setHeader("Content hash").setAutoWidth(true).setKey("hash");
        grid.addColumn(SnapshotInfo::items).setHeader("Items").setAutoWidth(true).setKey("items");
        grid.addColumn(s -> s.itemsPerSplit().get(Split.TRAIN) + " / " + s.itemsPerSplit().get(Split.VAL) + " / "
                + s.itemsPerSplit().get(Split.TEST)).setHeader("Train / val / test").setAutoWidth(true).setKey("splits");
        grid.addColumn(SnapshotInfo::phrases).setHeader("Phrases").setAutoWidth(true).setKey("phrases");
        grid.addColumn(SnapshotInfo::masks).setHeader("Masks").setAutoWidth(true).setKey("masks");
        grid.addColumn(s -> TIME.format(s.createdAt()) + " by " + s.createdBy()).setHeader("Created").setAutoWidth(true)
                .setKey("created");
        grid.addColumn(s -> s.note() == null ? "" : s.note()).setHeader("Note").setFlexGrow(2).setKey("note");
        grid.addComponentColumn(this::downloads).setHeader("Export").setAutoWidth(true).setKey("export");
        grid.setEmptyStateText("No snapshots yet: a snapshot freezes the dataset's accepted items.");
        grid.setHeight("22rem");

        compareA.setId("compare-a");
        compareB.setId("compare-b");
        Button compare = new Button("Compare", e -> compare());
        compare.setId("compare-snapshots");
        HorizontalLayout compareForm = new HorizontalLayout(compareA, compareB, compare, comparisonSummary);
        compareForm.setAlignItems(FlexComponent.Alignment.BASELINE);
        comparisonSummary.setId("comparison-summary");
        differences.setId("differences");
        differences.addColumn(Difference::change).setHeader("Change").setAutoWidth(true).setKey("change");
        differences.addColumn(Difference::fileName).setHeader("File").setFlexGrow(2).setKey("file");
        differences.addColumn(d -> d.revisionA() == null ? "" : "#" + d.revisionA()).setHeader("Revision before")
                .setAutoWidth(true).setKey("before");
        differences.addColumn(d -> d.revisionB() == null ? "" : "#" + d.revisionB()).setHeader("Revision after")
                .setAutoWidth(true).setKey("after");
        differences.setEmptyStateText("No differences.");
        differences.setHeight("16rem");

        Paragraph help = new Paragraph("A snapshot freezes the ACCEPTED items of a dataset at their current revision. "
                + "An image keeps its split (train/val/test) in every snapshot.");
        help.addClassName("help-text");
        add(new H2("Snapshots"), help, form, message, grid, new H3("Compare two snapshots"), compareForm, differences);
    }

    private void create() {
        DatasetSummary selected = dataset.getValue();
        if (selected == null) {
            dataset.setInvalid(true);
            dataset.setErrorMessage("Choose a dataset");
            return;
        }
        try {
            SnapshotInfo created = snapshots.create(selected.name(), username(), note.getValue());
            message.setText("Created snapshot " + created.number() + " with " + created.items() + " items.");
            message.getElement().setAttribute("theme", "badge success");
            note.clear();
        } catch (IllegalArgumentException | IllegalStateException e) {
            message.setText(e.getMessage());
            message.getElement().setAttribute("theme", "badge error");
        }
        refresh();
    }

    void refresh() {
        DatasetSummary selected = dataset.getValue();
        List<SnapshotInfo> all = selected == null ? List.of() : snapshots.list(selected.name());
        grid.setItems(all);
        List<Integer> numbers = all.stream().map(SnapshotInfo::number).sorted().toList();
        compareA.setItems(numbers);
        compareB.setItems(numbers);
        if (numbers.size() >= 2) {
            compareA.setValue(numbers.get(numbers.size() - 2));
            compareB.setValue(numbers.getLast());
        }
    }

    void compare() {
        DatasetSummary selected = dataset.getValue();
        if (selected == null || compareA.getValue() == null || compareB.getValue() == null) {
            comparisonSummary.setText("Choose a dataset and two snapshots.");
            return;
        }
        SnapshotComparison diff = snapshots.compare(selected.name(), compareA.getValue(), compareB.getValue());
        comparisonSummary.setText(diff.added().size() + " added, " + diff.removed().size() + " removed, "
                + diff.changed().size() + " changed, " + diff.unchanged() + " unchanged");
        List<Difference> rows = new ArrayList<>();
        diff.added().forEach(i -> rows.add(new Difference("added", i.fileName(), i.itemId(), null, i.revisionB())));
        diff.removed().forEach(i -> rows.add(new Difference("removed", i.fileName(), i.itemId(), i.revisionA(), null)));
        diff.changed().forEach(i -> rows.add(new Difference("changed", i.fileName(), i.itemId(), i.revisionA(), i.revisionB())));
        differences.setItems(rows);
    }

    private Component downloads(SnapshotInfo snapshot) {
        String base = snapshot.dataset() + "_snapshot-" + snapshot.number();
        Anchor grandf = new Anchor((DownloadHandler) event -> {
            event.setFileName(base + "_grandf.json");
            event.setContentType("application/json");
            snapshots.exportGrandf(snapshot.id(), Set.of(), event.getOutputStream());
        }, "GranD_f JSON");
        grandf.getElement().setAttribute("download", true);
        grandf.addClassName("export-grandf");
        Anchor coco = new Anchor((DownloadHandler) event -> {
            event.setFileName(base + "_coco_gcg.zip");
            event.setContentType("application/zip");
            snapshots.exportCocoGcgZip(snapshot.id(), Set.of(), event.getOutputStream());
        }, "COCO GCG zip");
        coco.getElement().setAttribute("download", true);
        coco.addClassName("export-coco-gcg");
        return new HorizontalLayout(grandf, coco);
    }

    private static String username() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "unknown" : authentication.getName();
    }

    ComboBox<DatasetSummary> dataset() {
        return dataset;
    }
}

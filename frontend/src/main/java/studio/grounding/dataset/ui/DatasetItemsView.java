package studio.grounding.dataset.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import jakarta.annotation.security.PermitAll;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;

/**
 * The items of one dataset, paged lazily from the database, with a thumbnail each, a status filter and a search in
 * the latest captions.
 */
@Route("datasets/:" + DatasetItemsView.NAME)
@PermitAll
public class DatasetItemsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String NAME = "name";
    static final int THUMBNAIL_SIZE = 48;

    private final DatasetService datasets;
    private final H2 title = new H2();
    private final Span summary = new Span();
    private final MultiSelectComboBox<ItemStatus> statusFilter = new MultiSelectComboBox<>("Status");
    private final TextField captionSearch = new TextField("Caption contains");
    private final Grid<ItemInfo> grid = new Grid<>(ItemInfo.class, false);
    private DatasetSummary dataset;

    public DatasetItemsView(DatasetService datasets) {
        this.datasets = datasets;
        addClassName("dataset-items-view");
        setSizeFull();

        statusFilter.setItems(ItemStatus.values());
        statusFilter.setItemLabelGenerator(StatusStyle::label);
        statusFilter.setPlaceholder("All statuses");
        statusFilter.setClearButtonVisible(true);
        statusFilter.setId("status-filter");
        statusFilter.addValueChangeListener(e -> refresh());

        captionSearch.setId("caption-search");
        captionSearch.setPlaceholder("Search the captions");
        captionSearch.setClearButtonVisible(true);
        captionSearch.setValueChangeMode(ValueChangeMode.LAZY);
        captionSearch.addValueChangeListener(e -> refresh());

        grid.setId("items");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addComponentColumn(DatasetItemsView::thumbnail).setHeader("").setWidth((THUMBNAIL_SIZE + 24) + "px")
                .setFlexGrow(0).setKey("thumbnail");
        grid.addColumn(item -> item.image().fileName()).setHeader("File").setFlexGrow(3).setKey("file");
        grid.addComponentColumn(DatasetItemsView::openLink).setHeader("").setAutoWidth(true).setFlexGrow(0)
                .setKey("open");
        grid.addComponentColumn(DatasetItemsView::editLink).setHeader("").setAutoWidth(true).setFlexGrow(0)
                .setKey("edit");
        grid.addItemDoubleClickListener(e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(itemPath(e.getItem()))));
        grid.addColumn(item -> item.image().width() + " × " + item.image().height()).setHeader("Size")
                .setAutoWidth(true).setFlexGrow(0).setKey("size");
        grid.addColumn(item -> item.image().split() == null ? "" : item.image().split().name().toLowerCase(Locale.ROOT))
                .setHeader("Split").setAutoWidth(true).setFlexGrow(0).setKey("split");
        grid.addComponentColumn(item -> new StatusBadge(item.status())).setHeader("Status").setAutoWidth(true)
                .setFlexGrow(0).setKey("status");
        grid.addColumn(item -> item.updatedAt() == null ? "" : DatasetsView.DATE.format(item.updatedAt()))
                .setHeader("Updated").setAutoWidth(true).setFlexGrow(0).setKey("updated");
        grid.setEmptyStateText("No items match.");
        grid.setSizeFull();

        RouterLink back = new RouterLink("← All datasets", DatasetsView.class);
        back.addClassName("back-link");
        summary.addClassName("dataset-summary");
        HorizontalLayout header = new HorizontalLayout(title, summary);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        HorizontalLayout toolbar = new HorizontalLayout(statusFilter, captionSearch);
        toolbar.setAlignItems(FlexComponent.Alignment.END);
        add(back, header, toolbar, grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<DatasetSummary> found = event.getRouteParameters().get(NAME).map(DatasetItemsView::decode)
                .flatMap(datasets::find);
        if (found.isEmpty()) {
            event.rerouteToError(NotFoundException.class, "No such dataset");
            return;
        }
        dataset = found.get();
        title.setText(dataset.name());
        refresh();
    }

    @Override
    public String getPageTitle() {
        return (dataset == null ? "Dataset" : dataset.name()) + " · Grounding Studio";
    }

    private void refresh() {
        if (dataset == null) {
            return;
        }
        long datasetId = dataset.id();
        Set<ItemStatus> statuses = Set.copyOf(statusFilter.getSelectedItems());
        String caption = captionSearch.getValue();
        grid.setItems(
                query -> datasets.items(datasetId, statuses, caption, query.getOffset(), query.getLimit()).stream(),
                query -> Math.toIntExact(datasets.countItems(datasetId, statuses, caption)));
        // the count follows the filter (issue 14: "8 items" above a grid that shows 1)
        boolean filtered = !statuses.isEmpty() || (caption != null && !caption.isBlank());
        long all = datasets.countItems(datasetId, List.of());
        long shown = filtered ? datasets.countItems(datasetId, statuses, caption) : all;
        summary.setText(filtered ? shown + " of " + all + " items" : all + (all == 1 ? " item" : " items"));
    }

    Span summary() {
        return summary;
    }

    /** The router hands the parameter over as it is in the URL, percent-encoded ("a%20b" for "a b"). */
    static String decode(String parameter) {
        try {
            return URLDecoder.decode(parameter.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return parameter;
        }
    }

    /**
     * The item view's path ({@code annotation.ui.ItemView}): by path, as the dataset feature does not depend on the
     * annotation feature (the annotation feature depends on it).
     */
    static String itemPath(ItemInfo item) {
        return "items/" + item.id();
    }

    private static Anchor openLink(ItemInfo item) {
        Anchor link = new Anchor(itemPath(item), "Open");
        link.getElement().setAttribute("router-link", true);
        link.addClassName("item-open-link");
        return link;
    }

    /** The item's editor (a path, like {@link #itemPath}: the editor view is in the annotation feature). */
    private static Anchor editLink(ItemInfo item) {
        Anchor link = new Anchor(itemPath(item) + "/edit", "Edit");
        link.getElement().setAttribute("router-link", true);
        link.addClassName("item-edit-link");
        return link;
    }

    private static Image thumbnail(ItemInfo item) {
        Image image = new Image("/media/images/" + item.image().contentHash(), item.image().fileName());
        image.addClassName("item-thumbnail");
        image.setWidth(THUMBNAIL_SIZE + "px");
        image.setHeight(THUMBNAIL_SIZE + "px");
        return image;
    }

    Grid<ItemInfo> grid() {
        return grid;
    }

    TextField captionSearch() {
        return captionSearch;
    }

    MultiSelectComboBox<ItemStatus> statusFilter() {
        return statusFilter;
    }
}

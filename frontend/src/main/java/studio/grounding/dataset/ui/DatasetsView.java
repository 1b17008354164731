package studio.grounding.dataset.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import jakarta.annotation.security.PermitAll;
import java.time.format.DateTimeFormatter;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;

/** The start page: every dataset with its size and how far its items are in the workflow. */
@Route("datasets")
@RouteAlias("")
@PageTitle("Datasets · Grounding Studio")
@Menu(order = 1, icon = "vaadin:database", title = "Datasets")
@PermitAll
public class DatasetsView extends VerticalLayout implements BeforeEnterObserver {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    private final DatasetService datasets;
    private final Grid<DatasetSummary> grid = new Grid<>(DatasetSummary.class, false);

    public DatasetsView(DatasetService datasets) {
        this.datasets = datasets;
        addClassName("datasets-view");
        setSizeFull();

        grid.setId("datasets");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addComponentColumn(DatasetsView::nameLink).setHeader("Dataset")
                .setComparator(DatasetSummary::name).setFlexGrow(2).setKey("name");
        grid.addColumn(DatasetSummary::itemCount).setHeader("Items").setTextAlign(ColumnTextAlign.END)
                .setComparator(DatasetSummary::itemCount).setWidth("7rem").setFlexGrow(0).setKey("items");
        grid.addComponentColumn(d -> new StatusProgressBar(d.itemsByStatus())).setHeader("Progress")
                .setFlexGrow(4).setKey("progress");
        grid.addColumn(d -> d.createdAt() == null ? "" : DATE.format(d.createdAt())).setHeader("Created")
                .setAutoWidth(true).setFlexGrow(0).setKey("created");
        grid.setEmptyStateText("No datasets yet. Import one with the command line or the API.");
        grid.setSizeFull();

        add(new H2("Datasets"), grid);
    }

    /** Loads the counts on every visit (the router reuses the view between "" and "datasets"). */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        grid.setItems(datasets.list());
    }

    private static RouterLink nameLink(DatasetSummary dataset) {
        RouterLink link = new RouterLink(dataset.name(), DatasetItemsView.class,
                new RouteParameters(DatasetItemsView.NAME, dataset.name()));
        link.addClassName("dataset-link");
        if (dataset.description() != null && !dataset.description().isBlank()) {
            link.getElement().setAttribute("title", dataset.description());
        }
        return link;
    }

    Grid<DatasetSummary> grid() {
        return grid;
    }

}

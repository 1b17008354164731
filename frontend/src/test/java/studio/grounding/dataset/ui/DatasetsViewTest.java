package studio.grounding.dataset.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.web.ui.NotFoundView;
import studio.grounding.web.ui.UiTest;

@UiTest
@WithMockUser(username = "admin", roles = "ANNOTATOR")
class DatasetsViewTest extends SpringBrowserlessTest {

    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;

    @Test
    void listsDatasetsWithTheirItemCountsPerStatus() {
        String name = "refcoco-" + UUID.randomUUID();
        DatasetSummary dataset = datasets.create(name, "test data", "admin");
        List<ItemInfo> items = addItems(dataset, 5);
        datasets.setStatus(items.get(0).id(), ItemStatus.ACCEPTED);
        datasets.setStatus(items.get(1).id(), ItemStatus.ACCEPTED);
        datasets.setStatus(items.get(2).id(), ItemStatus.SUBMITTED);

        DatasetsView view = navigate(DatasetsView.class);

        var grid = test(view.grid());
        int row = rowOf(grid, name);
        assertThat(grid.getCellText(row, columnIndex(view.grid(), "items"))).isEqualTo("5");
        StatusProgressBar progress = (StatusProgressBar) grid.getCellComponent(row, "progress");
        Map<String, String> legend = $(Span.class, progress).all().stream()
                .filter(s -> s.getElement().hasAttribute("data-status"))
                .collect(Collectors.toMap(s -> s.getElement().getAttribute("data-status"), Span::getText));
        assertThat(legend).containsOnly(
                Map.entry("NEW", "New 2"), Map.entry("SUBMITTED", "Submitted 1"), Map.entry("ACCEPTED", "Accepted 2"));
    }

    @Test
    void itemsViewPagesLazilyAndFiltersByStatus() {
        String name = "grand-f-" + UUID.randomUUID();
        DatasetSummary dataset = datasets.create(name, null, "admin");
        List<ItemInfo> items = addItems(dataset, 120);
        datasets.setStatus(items.get(7).id(), ItemStatus.REJECTED);

        DatasetItemsView view = navigate("datasets/" + name, DatasetItemsView.class);
        var grid = test(view.grid());
        assertThat(grid.size()).isEqualTo(120);
        assertThat(grid.getCellText(0, columnIndex(view.grid(), "file"))).isEqualTo("img-000.png");
        assertThat(view.summary().getText()).isEqualTo("120 items");

        test(view.statusFilter()).selectItem("Rejected");
        assertThat(grid.size()).isEqualTo(1);
        assertThat(grid.getCellText(0, columnIndex(view.grid(), "file"))).isEqualTo("img-007.png");
        // the header count follows the filter (issue 14)
        assertThat(view.summary().getText()).isEqualTo("1 of 120 items");
        view.statusFilter().clear();
        assertThat(view.summary().getText()).isEqualTo("120 items");
    }

    @Test
    void itemsViewSearchesTheLatestCaptionsAndLinksToEachItem() {
        DatasetSummary dataset = datasets.create("search-" + UUID.randomUUID(), null, "admin");
        List<ItemInfo> items = addItems(dataset, 3);
        caption(items.get(0), "A dog on the grass.");
        caption(items.get(2), "Two dogs and a cat.");

        DatasetItemsView view = navigate("datasets/" + dataset.name(), DatasetItemsView.class);
        var grid = test(view.grid());
        test(view.captionSearch()).setValue("DOG");

        assertThat(grid.size()).isEqualTo(2);
        assertThat(grid.getCellText(1, columnIndex(view.grid(), "file"))).isEqualTo("img-002.png");
        test(view.captionSearch()).setValue("cat");
        assertThat(grid.size()).isEqualTo(1);
        var open = (com.vaadin.flow.component.html.Anchor) grid.getCellComponent(0, "open");
        assertThat(open.getHref()).isEqualTo("items/" + items.get(2).id());
        test(view.captionSearch()).setValue("");
        assertThat(grid.size()).isEqualTo(3);
    }

    private void caption(ItemInfo item, String text) {
        revisions.append(new NewRevision(item.id(), null, new GroundedCaption(text, List.of()), Origin.IMPORT, "importer",
                null, "test", List.of(), null, 48, 64));
    }

    @Test
    void anUnknownDatasetIsNotFound() {
        assertThatThrownBy(() -> navigate("datasets/no-such-dataset", DatasetItemsView.class))
                .hasMessageContaining("NotFoundView");
        assertThat(getCurrentView()).isInstanceOf(NotFoundView.class);
    }

    private List<ItemInfo> addItems(DatasetSummary dataset, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> {
            String hash = String.format("%064x", (long) (dataset.id() * 100_000 + i));
            ImageInfo image = datasets.addImage(dataset.id(), String.format("img-%03d.png", i),
                    new StoredImage(hash, 100, "image/png", 64, 48), "test", Split.TRAIN);
            return datasets.ensureItem(image);
        }).toList();
    }

    private static int rowOf(com.vaadin.flow.component.grid.GridTester<?, DatasetSummary> grid, String name) {
        for (int row = 0; row < grid.size(); row++) {
            if (grid.getRow(row).name().equals(name)) {
                return row;
            }
        }
        throw new AssertionError("No row for dataset " + name + " in " + grid.size() + " rows: " + grid.getRow(0));
    }

    private static int columnIndex(Grid<?> grid, String key) {
        return grid.getColumns().indexOf(grid.getColumnByKey(key));
    }
}

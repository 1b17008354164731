package studio.grounding.snapshot.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.component.textfield.TextField;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.ui.DatasetsView;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;
import studio.grounding.web.ui.NotFoundView;
import studio.grounding.web.ui.UiTest;

@UiTest
class SnapshotsViewTest extends SpringBrowserlessTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    SnapshotService snapshots;
    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;

    @Test
    @WithMockUser(username = "cora", roles = "CURATOR")
    void curatorCreatesSnapshotsSeesTheirCountsAndComparesThem() {
        DatasetSummary dataset = AcceptedItems.dataset(context, "snap-ui", "a.png", "b.png");
        SnapshotsView view = navigate(SnapshotsView.class);
        view.dataset().setValue(view.dataset().getListDataView().getItems()
                .filter(d -> d.name().equals(dataset.name())).findFirst().orElseThrow());

        test($view(TextField.class).id("snapshot-note")).setValue("before review");
        test($view(Button.class).id("create-snapshot")).click();

        assertThat($view(Span.class).id("snapshot-message").getText()).contains("Created snapshot 1 with 2 items");
        SnapshotInfo first = snapshots.get(dataset.name(), 1);
        assertThat(first.createdBy()).isEqualTo("cora");
        assertThat(first.note()).isEqualTo("before review");
        @SuppressWarnings("unchecked")
        Grid<SnapshotInfo> grid = $view(Grid.class).id("snapshots");
        assertThat(test(grid).size()).isEqualTo(1);
        assertThat(test(grid).getCellText(0, 2)).isEqualTo("2");
        assertThat(grid.getColumnByKey("export")).isNotNull();

        var item = datasets.items(dataset.id(), java.util.List.of(), 0, 10).getFirst();
        AcceptedItems.revise(revisions, item, "A cat.");
        test($view(Button.class).id("create-snapshot")).click();
        assertThat(test(grid).size()).isEqualTo(2);

        test($view(Button.class).id("compare-snapshots")).click();
        assertThat($view(Span.class).id("comparison-summary").getText())
                .isEqualTo("0 added, 0 removed, 1 changed, 1 unchanged");
        @SuppressWarnings("unchecked")
        Grid<SnapshotsView.Difference> differences = $view(Grid.class).id("differences");
        assertThat(test(differences).size()).isEqualTo(1);
        assertThat(test(differences).getCellText(0, 0)).isEqualTo("changed");
    }

    @Test
    @WithMockUser(username = "cora", roles = "CURATOR")
    void aDatasetWithoutAcceptedItemsGetsAClearMessageAndNoSnapshot() {
        DatasetSummary dataset = AcceptedItems.dataset(context, "snap-none", "x.png");
        datasets.items(dataset.id(), java.util.List.of(), 0, 10).forEach(i -> datasets.setStatus(i.id(), ItemStatus.SUBMITTED));
        SnapshotsView view = navigate(SnapshotsView.class);
        view.dataset().setValue(view.dataset().getListDataView().getItems()
                .filter(d -> d.name().equals(dataset.name())).findFirst().orElseThrow());

        test($view(Button.class).id("create-snapshot")).click();

        assertThat($view(Span.class).id("snapshot-message").getText()).contains("no ACCEPTED items");
        assertThat(snapshots.list(dataset.name())).isEmpty();
    }

    @Test
    @WithMockUser(username = "annie", roles = "ANNOTATOR")
    void isNotForAnnotators() {
        assertThatThrownBy(() -> navigate(SnapshotsView.class)).hasMessageContaining("NotFoundView");
        assertThat(getCurrentView()).isInstanceOf(NotFoundView.class);
        navigate(DatasetsView.class);
        assertThat($(SideNavItem.class).all()).extracting(SideNavItem::getLabel).doesNotContain("Snapshots", "Training runs");
    }

    @Test
    @WithMockUser(username = "admin", roles = "ADMIN")
    void adminsSeeSnapshotsAndRunsInTheNavigation() {
        navigate(DatasetsView.class);
        assertThat($(SideNavItem.class).all()).extracting(SideNavItem::getLabel).contains("Snapshots", "Training runs");
    }
}

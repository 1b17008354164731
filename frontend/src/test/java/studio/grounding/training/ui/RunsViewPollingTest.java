package studio.grounding.training.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.PollEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.router.QueryParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.evaluation.ui.ModelsView;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;
import studio.grounding.snapshot.ui.AcceptedItems;
import studio.grounding.training.Launcher;
import studio.grounding.training.NewRun;
import studio.grounding.training.RunInfo;
import studio.grounding.training.RunStatus;
import studio.grounding.training.TrainingService;
import studio.grounding.web.ui.UiTest;

/**
 * The runs page follows a LOCAL run by polling (no refresh click) and links the model version it registered to the
 * models page. The run is the fake trainer (backend/src/test/resources/fake-train.sh, set in the test
 * application-test.properties) ending with the worker's tiny-glamm model directory.
 */
@UiTest
class RunsViewPollingTest extends SpringBrowserlessTest {



    @Autowired
    ApplicationContext context;
    @Autowired
    SnapshotService snapshots;
    @Autowired
    ModelVersionService models;
    @Autowired
    TrainingService training;

    @Test
    @WithMockUser(username = "cora", roles = "CURATOR")
    @SuppressWarnings("unchecked")
    void anOpenPagePollsTheRunUntilItSucceedsAndLinksTheNewVersionToTheModelsPage() throws InterruptedException {
        DatasetSummary dataset = AcceptedItems.dataset(context, "poll-ui", "sa_1.png", "sa_2.png");
        SnapshotInfo snapshot = snapshots.create(dataset.name(), "cora", null);
        ModelVersion base = models.getOrCreate("glamm-poll-" + System.nanoTime());
        RunsView view = navigate(RunsView.class);
        UI ui = UI.getCurrent();
        assertThat(ui.getPollInterval()).isEqualTo(RunsView.POLL_MILLIS);

        RunInfo run = training.start(new NewRun(base.name(), dataset.name(), snapshot.number(), Launcher.LOCAL, Map.of()),
                "cora");
        Grid<RunInfo> grid = view.grid();
        assertThat(grid.getListDataView().getItems()).noneMatch(r -> r.id() == run.id());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!training.get(run.id()).status().finished()) {
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(100);
        }

        ComponentUtil.fireEvent(ui, new PollEvent(ui, true));

        RunInfo done = grid.getListDataView().getItems().filter(r -> r.id() == run.id()).findFirst().orElseThrow();
        assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(RunStatus.SUCCEEDED);
        int row = grid.getListDataView().getItems().toList().indexOf(done);
        assertThat(test(grid).getCellText(row, grid.getColumns().indexOf(grid.getColumnByKey("status"))))
                .isEqualTo("SUCCEEDED");
        Anchor link = (Anchor) test(grid).getCellComponent(row, grid.getColumns().indexOf(grid.getColumnByKey("result")));
        assertThat(link.getText()).isEqualTo(done.resultModel()).isEqualTo(base.name() + "-ft-run" + run.id());
        assertThat(link.getHref()).isEqualTo("models?dataset=" + dataset.name() + "&model=" + done.resultModel());

        String[] href = link.getHref().split("\\?", 2);
        ui.navigate(href[0], QueryParameters.fromString(href[1]));
        ModelsView models = (ModelsView) getCurrentView();
        assertThat(ui.getPollInterval()).isEqualTo(-1);
        assertThat(models.getChildren()).isNotEmpty();
        assertThat(models.datasetValue()).isEqualTo(dataset.name());
        assertThat(models.modelValue()).isEqualTo(done.resultModel());
    }
}

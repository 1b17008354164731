package studio.grounding.training.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;
import studio.grounding.snapshot.ui.AcceptedItems;
import studio.grounding.training.Launcher;
import studio.grounding.training.RunInfo;
import studio.grounding.training.RunStatus;
import studio.grounding.training.TrainingService;
import studio.grounding.web.ui.NotFoundView;
import studio.grounding.web.ui.UiTest;

@UiTest
class RunsViewTest extends SpringBrowserlessTest {

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
    void curatorLaunchesARunAndSeesItWithItsJobFileAndCancelsIt() {
        DatasetSummary dataset = AcceptedItems.dataset(context, "runs-ui", "sa_1.png", "sa_2.png");
        SnapshotInfo snapshot = snapshots.create(dataset.name(), "cora", null);
        ModelVersion base = models.getOrCreate("glamm-ui-" + System.nanoTime());
        navigate(RunsView.class);

        ComboBox<ModelVersion> baseModel = $view(ComboBox.class).id("run-base-model");
        baseModel.setValue(baseModel.getListDataView().getItems().filter(m -> m.id() == base.id()).findFirst().orElseThrow());
        ComboBox<DatasetSummary> datasetBox = $view(ComboBox.class).id("run-dataset");
        datasetBox.setValue(datasetBox.getListDataView().getItems().filter(d -> d.id() == dataset.id()).findFirst().orElseThrow());
        ComboBox<SnapshotInfo> snapshotBox = $view(ComboBox.class).id("run-snapshot");
        snapshotBox.setValue(snapshotBox.getListDataView().getItems().findFirst().orElseThrow());
        ((Select<Launcher>) $view(Select.class).id("run-launcher")).setValue(Launcher.SLURM);
        test($view(TextArea.class).id("run-hyperparameters")).setValue("epochs=1\ngpus=2");
        test($view(Button.class).id("start-run")).click();

        RunInfo run = training.list().getFirst();
        assertThat(run.snapshotId()).isEqualTo(snapshot.id());
        assertThat(run.launcher()).isEqualTo(Launcher.SLURM);
        assertThat(run.hyperparameters()).containsEntry("gpus", "2").containsEntry("epochs", "1");
        assertThat(run.createdBy()).isEqualTo("cora");
        assertThat($view(Span.class).id("run-message").getText()).contains("Run #" + run.id()).contains("job.sbatch");
        Grid<RunInfo> grid = $view(Grid.class).id("runs");
        assertThat(test(grid).getCellText(0, 0)).isEqualTo(String.valueOf(run.id()));
        assertThat(test(grid).getCellText(0, 1)).isEqualTo("QUEUED");

        grid.select(grid.getListDataView().getItems().findFirst().orElseThrow());
        assertThat($view(Pre.class).id("run-logs").getText()).contains("job.sbatch");
        training.cancel(run.id(), "cora");
        test($view(Button.class).id("refresh-runs")).click();
        assertThat(test(grid).getCellText(0, 1)).isEqualTo(RunStatus.CANCELLED.name());
    }

    @Test
    @WithMockUser(username = "cora", roles = "CURATOR")
    void aMalformedHyperparameterIsShownAndNothingIsStarted() {
        int before = training.list().size();
        navigate(RunsView.class);
        assertThatThrownBy(() -> RunsView.parse("epochs 2")).hasMessageContaining("not name=value");
        test($view(Button.class).id("start-run")).click();
        assertThat($view(Span.class).id("run-message").getText()).contains("Choose the base model version");
        assertThat(training.list()).hasSize(before);
    }

    @Test
    @WithMockUser(username = "rita", roles = "REVIEWER")
    void isNotForReviewers() {
        assertThatThrownBy(() -> navigate(RunsView.class)).hasMessageContaining("NotFoundView");
        assertThat(getCurrentView()).isInstanceOf(NotFoundView.class);
    }
}

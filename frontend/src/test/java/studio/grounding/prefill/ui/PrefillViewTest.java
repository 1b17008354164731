package studio.grounding.prefill.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.sidenav.SideNavItem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.dataset.ui.DatasetsView;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.prefill.ClaimedJob;
import studio.grounding.prefill.DatasetQueue;
import studio.grounding.prefill.JobInfo;
import studio.grounding.prefill.JobStatus;
import studio.grounding.prefill.PrefillResult;
import studio.grounding.prefill.PrefillService;
import studio.grounding.prefill.PrefillStats;
import studio.grounding.web.ui.NotFoundView;
import studio.grounding.web.ui.UiTest;

/** The curator's pre-fill page against the real application and PostgreSQL: queue, counts, retry and cancel. */
@UiTest
class PrefillViewTest extends SpringBrowserlessTest {

    @Autowired
    PrefillService prefill;
    @Autowired
    DatasetService datasets;
    @Autowired
    ModelVersionService models;
    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void emptyQueue() {
        // the page shows every job: start from a queue without live jobs of other tests
        jdbc.sql("update prefill_jobs set status = 'CANCELLED', lease_token = null, lease_expires_at = null "
                + "where status in ('QUEUED', 'RUNNING')").update();
    }

    @Test
    @WithMockUser(username = "cora", roles = "CURATOR")
    void queuesADatasetShowsTheCountsAndRetriesAndCancelsThroughThePage() {
        DatasetSummary ds = dataset(3);
        ModelVersion model = models.getOrCreate("glamm-ui-" + UUID.randomUUID());
        PrefillView view = navigate(PrefillView.class);

        // queue through the form
        @SuppressWarnings("unchecked")
        ComboBox<DatasetSummary> datasetBox = $view(ComboBox.class).id("prefill-dataset");
        @SuppressWarnings("unchecked")
        ComboBox<ModelVersion> modelBox = $view(ComboBox.class).id("prefill-model");
        test(datasetBox).selectItem(ds.name());
        test(modelBox).selectItem(model.name());
        test($view(Button.class).id("queue-prefill")).click();

        assertThat(prefill.jobs(JobStatus.QUEUED, ds.id(), 10)).hasSize(3)
                .allSatisfy(j -> assertThat(j.modelVersionId()).isEqualTo(model.id()));
        assertThat(total("queued")).isEqualTo("Queued 3");
        assertThat(datasetRow(view, ds.name(), "QUEUED")).isEqualTo("3");
        assertThat(test(view.grid(JobStatus.QUEUED)).size()).isEqualTo(3);

        // a worker claims two, finishes one, fails the other for good (max attempts 1 for this job)
        List<ClaimedJob> claimed = prefill.claim("gpu-1/a", 2, Duration.ofMinutes(5));
        jdbc.sql("update prefill_jobs set max_attempts = 1 where id = :id").param("id", claimed.get(1).jobId()).update();
        prefill.complete(claimed.get(0).jobId(), claimed.get(0).worker(), claimed.get(0).leaseToken(), new PrefillResult("A cat.",
                List.of(new PrefillResult.Phrase("A cat", 0, 5)), List.of(), null, Map.of("decode_steps", 250.0)));
        prefill.fail(claimed.get(1).jobId(), claimed.get(1).worker(), claimed.get(1).leaseToken(), "CUDA out of memory");
        test($view(Button.class).id("prefill-refresh")).click();

        assertThat(total("queued")).isEqualTo("Queued 1");
        assertThat(total("succeeded")).isEqualTo("Succeeded 1");
        assertThat(total("failed")).isEqualTo("Failed 1");
        assertThat(datasetRow(view, ds.name(), "SUCCEEDED")).isEqualTo("1");
        assertThat(datasetRow(view, ds.name(), "FAILED")).isEqualTo("1");
        var failedGrid = test(view.grid(JobStatus.FAILED));
        assertThat(failedGrid.size()).isEqualTo(1);
        assertThat(failedGrid.getCellText(0, colIndex(view.grid(JobStatus.FAILED), "error")))
                .contains("CUDA out of memory").contains("gpu-1/a");
        var modelGrid = test(perModel(view));
        int row = rowOf(modelGrid, model.name());
        assertThat(modelGrid.getCellText(row, colIndex(perModel(view), "lastHour"))).isEqualTo("1");
        assertThat(modelGrid.getCellText(row, colIndex(perModel(view), "stages"))).contains("decode_steps 250 ms");

        // retry the failed job through its button
        click(view.grid(JobStatus.FAILED), claimed.get(1).jobId());
        assertThat(prefill.job(claimed.get(1).jobId()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(total("queued")).isEqualTo("Queued 2");
        assertThat(test(view.grid(JobStatus.FAILED)).size()).isZero();

        // a running job shows its worker and lease; cancel a queued one through its button
        ClaimedJob runningJob = prefill.claim("gpu-2/b", 1, Duration.ofMinutes(5)).getFirst();
        test($view(Button.class).id("prefill-refresh")).click();
        var runningGrid = test(view.grid(JobStatus.RUNNING));
        assertThat(runningGrid.size()).isEqualTo(1);
        assertThat(runningGrid.getCellText(0, colIndex(view.grid(JobStatus.RUNNING), "worker"))).isEqualTo("gpu-2/b");
        assertThat(runningGrid.getCellText(0, colIndex(view.grid(JobStatus.RUNNING), "lease"))).isNotBlank();
        // jobs name their item's image file, not its id; the page says which workers are connected (issue 14)
        String fileName = datasets.item(runningJob.itemId()).orElseThrow().image().fileName();
        assertThat(runningGrid.getCellText(0, colIndex(view.grid(JobStatus.RUNNING), "item"))).isEqualTo(fileName);
        Span workers = $view(Span.class).id("prefill-workers");
        assertThat(workers.getElement().getAttribute("data-connected")).isEqualTo("true");
        assertThat(workers.getText()).startsWith("Workers connected:").contains("gpu-2/b");

        long queuedId = prefill.jobs(JobStatus.QUEUED, ds.id(), 10).getFirst().id();
        click(view.grid(JobStatus.QUEUED), queuedId);
        assertThat(prefill.job(queuedId).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(total("queued")).isEqualTo("Queued 0");
        // the page shows every dataset's jobs: the other tests' jobs this class cancelled before it are there too
        assertThat(view.grid(JobStatus.CANCELLED).getGenericDataView().getItems().map(JobInfo::id))
                .contains(queuedId);
        assertThat(prefill.job(runningJob.jobId()).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    @WithMockUser(username = "cora", roles = "CURATOR")
    void queueingWithoutAModelVersionNamesTheFieldAndQueuesNothing() {
        DatasetSummary ds = dataset(2);
        navigate(PrefillView.class);
        @SuppressWarnings("unchecked")
        ComboBox<DatasetSummary> datasetBox = $view(ComboBox.class).id("prefill-dataset");
        test(datasetBox).selectItem(ds.name());
        test($view(Button.class).id("queue-prefill")).click();

        assertThat($view(ComboBox.class).id("prefill-model").isInvalid()).isTrue();
        assertThat($view(ComboBox.class).id("prefill-model").getErrorMessage()).contains("model version");
        assertThat(prefill.datasetQueues()).noneMatch(q -> q.datasetId() == ds.id());
    }

    @Test
    @WithMockUser(username = "annie", roles = "ANNOTATOR")
    void isForCuratorsOnly() {
        assertThatThrownBy(() -> navigate(PrefillView.class)).hasMessageContaining("NotFoundView");
        assertThat(getCurrentView()).isInstanceOf(NotFoundView.class);
        navigate(DatasetsView.class);
        assertThat($(SideNavItem.class).all()).extracting(SideNavItem::getLabel).doesNotContain("Pre-fill");
    }

    @Test
    // what form login gives an admin: every role the hierarchy implies (WebSecurityConfiguration)
    @WithMockUser(username = "admin", roles = {"ADMIN", "CURATOR", "REVIEWER", "ANNOTATOR"})
    void curatorsAndAdminsSeeItInTheNavigation() {
        navigate(DatasetsView.class);
        assertThat($(SideNavItem.class).all()).extracting(SideNavItem::getLabel).contains("Pre-fill");
        navigate(PrefillView.class);
    }

    /** Clicks the action button (retry or cancel) in the job's row. */
    private void click(Grid<JobInfo> grid, long jobId) {
        var g = test(grid);
        for (int row = 0; row < g.size(); row++) {
            if (g.getRow(row).id() == jobId) {
                test((Button) g.getCellComponent(row, "actions")).click();
                return;
            }
        }
        throw new AssertionError("job #" + jobId + " not in the grid");
    }

    private String total(String status) {
        return $view(Span.class).id("total-" + status).getText();
    }

    @SuppressWarnings("unchecked")
    private Grid<PrefillStats.ModelStats> perModel(PrefillView view) {
        return $view(Grid.class).id("prefill-models");
    }

    @SuppressWarnings("unchecked")
    private String datasetRow(PrefillView view, String dataset, String column) {
        Grid<DatasetQueue> grid = $view(Grid.class).id("prefill-datasets");
        var g = test(grid);
        return g.getCellText(rowOf(g, dataset), colIndex(grid, column));
    }

    private static int rowOf(com.vaadin.flow.component.grid.GridTester<?, ?> grid, String firstCell) {
        for (int i = 0; i < grid.size(); i++) {
            if (grid.getCellText(i, 0).equals(firstCell)) {
                return i;
            }
        }
        throw new AssertionError(firstCell + " not in the grid");
    }

    private static int colIndex(Grid<?> grid, String key) {
        return grid.getColumns().indexOf(grid.getColumnByKey(key));
    }

    private DatasetSummary dataset(int items) {
        DatasetSummary ds = datasets.create("prefill-ui-" + UUID.randomUUID(), null, "cora");
        for (int i = 0; i < items; i++) {
            String hash = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
            datasets.ensureItem(datasets.addImage(ds.id(), "img-" + i + ".png",
                    new StoredImage(hash, 100, "image/png", 8, 6), "test", Split.TRAIN));
        }
        return ds;
    }
}

package studio.grounding.evaluation.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.sidenav.SideNavItem;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.prefill.JobPurpose;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.dataset.ui.DatasetsView;
import studio.grounding.evaluation.Evaluation;
import studio.grounding.evaluation.EvaluationService;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersionService;
import studio.grounding.prefill.JobStatus;
import studio.grounding.prefill.PrefillService;
import studio.grounding.web.ui.NotFoundView;
import studio.grounding.web.ui.UiTest;

/**
 * The models page on the whole application and a real database. One accepted test item "A dog" with a 5x5 box;
 * model version a pre-filled exactly that box (mIoU 100, no mask redrawn), b pre-filled a 5x2 box inside it
 * (IoU 10/25: mIoU 40, recall 0, one mask redrawn).
 */
@UiTest
class ModelsViewTest extends SpringBrowserlessTest {

    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    ModelVersionService models;
    @Autowired
    EvaluationService evaluations;
    @Autowired
    PrefillService prefill;

    @Test
    @WithMockUser(username = "cora", roles = "CURATOR")
    void comparesModelVersionsAndRunsAnEvaluation() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        DatasetSummary dataset = datasets.create("models-" + run, null, "cora");
        String a = "a-" + run;
        String b = "b-" + run;
        ItemInfo item = item(dataset);
        Revision preA = append(item, null, box(5), Origin.MODEL, models.getOrCreate(a).id(), Map.of());
        Revision preB = append(item, preA.id(), box(2), Origin.MODEL, models.getOrCreate(b).id(), Map.of());
        append(item, preB.id(), box(5), Origin.HUMAN, null, Map.of("activeSeconds", 20.0));
        datasets.setStatus(item.id(), ItemStatus.ACCEPTED);
        evaluations.evaluate(dataset.name(), a, null, "cora");

        ModelsView view = navigate(ModelsView.class);
        test(view.datasetSelect()).selectItem(dataset.name());
        assertThat(view.recallNote().getText())
                .isEqualTo("Recall: fallback: exact-match, not the official number.");
        var grid = test(view.metricsGrid());
        assertThat(grid.size()).isEqualTo(1);
        assertThat(grid.getCellText(0, col(view.metricsGrid(), "model"))).isEqualTo(a);
        assertThat(grid.getCellText(0, col(view.metricsGrid(), "miou"))).isEqualTo("100.0");
        assertThat(grid.getCellText(0, col(view.metricsGrid(), "recall"))).isEqualTo("100.0 (fallback)");

        test(view.modelBox()).selectItem(b);
        test(view.runButton()).click();
        assertThat(grid.size()).isEqualTo(2);
        assertThat(grid.getRow(1).modelVersion()).isEqualTo(b);
        assertThat(grid.getCellText(1, col(view.metricsGrid(), "miou"))).isEqualTo("40.0");
        assertThat(grid.getCellText(1, col(view.metricsGrid(), "recall"))).isEqualTo("0.0 (fallback)");
        assertThat(evaluations.evaluations(b)).extracting(Evaluation::createdBy).containsExactly("cora");

        List<String> metricCharts = charts(view.metricCharts());
        assertThat(metricCharts).hasSize(4);
        assertThat(metricCharts.getFirst()).contains("mIoU")
                .contains("data-label=\"" + a + "\" data-value=\"100.0\"")
                .contains("data-label=\"" + b + "\" data-value=\"40.0\"");
        assertThat(metricCharts.get(1)).contains("Recall (fallback, not official)");

        var effort = test(view.effortGrid());
        assertThat(effort.size()).isEqualTo(2);
        assertThat(effort.getCellText(0, col(view.effortGrid(), "redrawn"))).isEqualTo("0.00");
        assertThat(effort.getCellText(1, col(view.effortGrid(), "redrawn"))).isEqualTo("1.00");
        assertThat(effort.getCellText(1, col(view.effortGrid(), "seconds"))).isEqualTo("20");
        assertThat(charts(view.effortCharts()).get(2)).contains("Masks redrawn per item")
                .contains("data-label=\"" + b + "\" data-value=\"1.00\"");
    }

    @Test
    @WithMockUser(username = "cora", roles = "CURATOR")
    void theQueryChoosesDatasetAndModelAndTheCuratorQueuesItsPrefill() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        DatasetSummary dataset = datasets.create("prefill-" + run, null, "cora");
        String version = "c-" + run;
        models.getOrCreate(version);
        ItemInfo accepted = item(dataset);
        append(accepted, null, box(5), Origin.HUMAN, null, Map.of());
        datasets.setStatus(accepted.id(), ItemStatus.ACCEPTED);
        ImageInfo image = datasets.addImage(dataset.id(), "open.png",
                new StoredImage(String.format("%064x", dataset.id() + 1_000_000), 100, "image/png", 10, 10), "test",
                Split.TRAIN);
        ItemInfo open = datasets.ensureItem(image);

        ModelsView view = open("dataset=" + dataset.name() + "&model=" + version);
        assertThat(view.datasetValue()).isEqualTo(dataset.name());
        assertThat(view.modelValue()).isEqualTo(version);
        test(view.queuePrefillButton()).click();

        assertThat(prefill.jobsOfItem(open.id())).singleElement().satisfies(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(job.modelVersionId()).isEqualTo(models.find(version).orElseThrow().id());
        });
        assertThat(prefill.jobsOfItem(accepted.id())).isEmpty();

        // evaluation pre-fill: the version predicts on the test items, the accepted one included
        test(view.queuePredictionsButton()).click();
        assertThat(prefill.jobsOfItem(accepted.id())).singleElement().satisfies(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(prefill.purposeOf(job.id())).isEqualTo(JobPurpose.EVALUATION);
        });
        assertThat(prefill.jobsOfItem(open.id())).hasSize(1); // a train item: no evaluation job

        navigate(DatasetsView.class);
        ModelsView unknown = open("dataset=nope&model=nope");
        assertThat(unknown.modelValue()).isNull();
    }

    @Test
    @WithMockUser(username = "rita", roles = "REVIEWER")
    void isForCurators() {
        assertThatThrownBy(() -> navigate(ModelsView.class)).hasMessageContaining("NotFoundView");
        assertThat(getCurrentView()).isInstanceOf(NotFoundView.class);
        navigate(DatasetsView.class);
        assertThat($(SideNavItem.class).all()).extracting(SideNavItem::getLabel).doesNotContain("Models");
    }

    @Test
    @WithMockUser(username = "admin", roles = "ADMIN")
    void adminsSeeItInTheNavigation() {
        navigate(DatasetsView.class);
        assertThat($(SideNavItem.class).all()).extracting(SideNavItem::getLabel).contains("Models");
        navigate(ModelsView.class);
    }

    private ModelsView open(String query) {
        com.vaadin.flow.component.UI.getCurrent().navigate("models",
                com.vaadin.flow.router.QueryParameters.fromString(query));
        return (ModelsView) getCurrentView();
    }

    private static List<String> charts(com.vaadin.flow.component.html.Div div) {
        return div.getChildren().map(c -> ((Svg) c).getElement().getProperty("innerHTML")).toList();
    }

    private ItemInfo item(DatasetSummary dataset) {
        String hash = String.format("%064x", dataset.id());
        ImageInfo image = datasets.addImage(dataset.id(), "dog.png", new StoredImage(hash, 100, "image/png", 10, 10),
                "test", Split.TEST);
        return datasets.ensureItem(image);
    }

    private Revision append(ItemInfo item, Long parent, MaskRle mask, Origin origin, Long model,
                            Map<String, Double> timings) {
        GroundedCaption caption = new GroundedCaption("A dog.", List.of(new PhraseSpan(0, 5, "A dog", List.of(mask))));
        return revisions.append(new NewRevision(item.id(), parent, caption, origin, "cora", model, null, List.of(),
                timings, 10, 10));
    }

    /** A 5-wide box of the given height at the top left of a 10x10 image. */
    private static MaskRle box(int height) {
        byte[] bitmap = new byte[100];
        for (int x = 0; x < 5; x++) {
            for (int y = 0; y < height; y++) {
                bitmap[x * 10 + y] = 1;
            }
        }
        return new MaskRle(10, 10, Rle.encode(bitmap, 10, 10).toCompressedString());
    }

    private static int col(com.vaadin.flow.component.grid.Grid<?> grid, String key) {
        return grid.getColumns().indexOf(grid.getColumnByKey(key));
    }
}

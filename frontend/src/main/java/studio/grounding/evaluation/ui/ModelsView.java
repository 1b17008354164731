package studio.grounding.evaluation.ui;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.RolesAllowed;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.Split;
import studio.grounding.evaluation.CorrectionEffort;
import studio.grounding.evaluation.CorrectionEffortService;
import studio.grounding.evaluation.Evaluation;
import studio.grounding.evaluation.EvaluationService;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.model.ui.ModelVersionChoice;
import studio.grounding.prefill.JobPurpose;
import studio.grounding.prefill.PrefillService;
import studio.grounding.prefill.QueuedPrefill;
import studio.grounding.snapshot.SnapshotEntry;
import studio.grounding.snapshot.SnapshotService;

/**
 * Model versions side by side on one dataset: the latest GCG evaluation of each (recall labelled official or
 * fallback), the correction effort their pre-fills needed, bar charts of both, a button to run an evaluation and one
 * to queue the chosen version's pre-fill of the dataset. {@code ?dataset=NAME&model=NAME} chooses both (the training
 * runs page links a run's new model version here).
 */
@Route("models")
@PageTitle("Models · Grounding Studio")
@Menu(order = 5, icon = "vaadin:chart-3d", title = "Models")
// ADMIN listed too: Vaadin's view access check asks for the role itself, without the role hierarchy
@RolesAllowed({"CURATOR", "ADMIN"})
public class ModelsView extends VerticalLayout implements BeforeEnterObserver {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final DatasetService datasets;
    private final ModelVersionService models;
    private final EvaluationService evaluations;
    private final CorrectionEffortService efforts;
    private final PrefillService prefill;
    private final AuthenticationContext authentication;

    private final Select<String> dataset = new Select<>();
    private final ComboBox<String> model = new ComboBox<>("Model version");
    private final IntegerField snapshot = new IntegerField("Snapshot");
    private final Button run = new Button("Run evaluation");
    private final SnapshotService snapshots;
    private final Button queuePrefill = new Button("Queue pre-fill with this version");
    private final Button queuePredictions = new Button("Predict on the test split");
    private final Paragraph recallNote = new Paragraph();
    private final Grid<Evaluation> metrics = new Grid<>(Evaluation.class, false);
    private final Grid<CorrectionEffort> effort = new Grid<>(CorrectionEffort.class, false);
    private final Div metricCharts = new Div();
    private final Div effortCharts = new Div();

    public ModelsView(DatasetService datasets, ModelVersionService models, EvaluationService evaluations,
                      CorrectionEffortService efforts, PrefillService prefill, SnapshotService snapshots,
                      AuthenticationContext authentication) {
        this.snapshots = snapshots;
        this.datasets = datasets;
        this.models = models;
        this.evaluations = evaluations;
        this.efforts = efforts;
        this.prefill = prefill;
        this.authentication = authentication;
        addClassName("models-view");
        setWidthFull();

        dataset.setLabel("Dataset");
        dataset.setId("dataset");
        dataset.setItems(datasets.list().stream().map(DatasetSummary::name).toList());
        dataset.addValueChangeListener(e -> refresh());
        model.setId("model");
        ModelVersionChoice.fill(model, models.list().stream().map(ModelVersion::name).toList());
        snapshot.setId("snapshot");
        snapshot.setMin(1);
        snapshot.setPlaceholder("current accepted items");
        snapshot.setHelperText("empty: the dataset's accepted test items now");
        run.setId("run-evaluation");
        run.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        run.addClickListener(e -> runEvaluation());
        queuePrefill.setId("queue-prefill");
        queuePrefill.setTooltipText("Queue a pre-fill job for every item of the dataset that no one has worked on yet;"
                + " an inference worker picks them up");
        queuePrefill.addClickListener(e -> queuePrefill());
        queuePredictions.setId("queue-predictions");
        queuePredictions.setTooltipText("Queue evaluation jobs: the version predicts on the test items (the snapshot's"
                + " test split when a snapshot is given), accepted ones included; the predictions are kept for"
                + " scoring and never become the items' revisions");
        queuePredictions.addClickListener(e -> queuePredictions());
        HorizontalLayout controls = new HorizontalLayout(dataset, model, snapshot, run, queuePrefill, queuePredictions);
        controls.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        recallNote.setId("recall-note");
        recallNote.setText("Recall: " + evaluations.recallLabel() + ".");

        metrics.setId("metrics");
        metrics.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        metrics.setAllRowsVisible(true);
        metrics.addColumn(Evaluation::modelVersion).setHeader("Model version").setKey("model").setFlexGrow(2);
        number(metrics, "mIoU", "miou", e -> e.metrics().miou());
        metrics.addColumn(e -> pct(e.metrics().recall()) + (e.recallOfficial() ? "" : " (fallback)"))
                .setHeader("Recall").setKey("recall").setTextAlign(ColumnTextAlign.END)
                .setTooltipGenerator(Evaluation::recallLabel);
        metrics.addColumn(e -> e.metrics().ap50() < 0 ? "-1" : pct(e.metrics().ap50())).setHeader("AP50")
                .setKey("ap50").setTextAlign(ColumnTextAlign.END);
        number(metrics, "BLEU-4", "bleu4", e -> e.metrics().bleu4());
        number(metrics, "CIDEr", "cider", e -> e.metrics().cider());
        number(metrics, "ROUGE-L", "rougeL", e -> e.metrics().rougeL());
        metrics.addColumn(e -> e.itemsEvaluated() + (e.itemsMissingPrediction() > 0
                ? " (" + e.itemsMissingPrediction() + " without prediction)" : "")).setHeader("Items")
                .setKey("items").setAutoWidth(true);
        metrics.addColumn(e -> e.snapshotNumber() == null ? "accepted now" : "snapshot " + e.snapshotNumber())
                .setHeader("Ground truth").setKey("truth").setAutoWidth(true);
        metrics.addColumn(e -> WHEN.format(e.createdAt())).setHeader("Evaluated").setKey("when").setAutoWidth(true);
        metrics.setEmptyStateText("No model version has been evaluated on this dataset yet.");

        effort.setId("effort");
        effort.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        effort.setAllRowsVisible(true);
        effort.addColumn(CorrectionEffort::modelVersion).setHeader("Model version").setKey("model").setFlexGrow(2);
        effort.addColumn(CorrectionEffort::items).setHeader("Items corrected").setKey("items")
                .setTextAlign(ColumnTextAlign.END);
        effort.addColumn(c -> String.format(Locale.ROOT, "%.0f", c.seconds().mean())
                        + (c.wallTimeItems() > 0 ? " (" + c.wallTimeItems() + " wall time)" : ""))
                .setHeader("Seconds / item").setKey("seconds").setTextAlign(ColumnTextAlign.END)
                .setTooltipGenerator(c -> "active editor time where the editor sent it, else wall time from the "
                        + "pre-fill to the first human revision (an upper bound)");
        effortColumn("Caption chars edited", "chars", c -> c.captionCharEdits().mean());
        effortColumn("Phrases added", "added", c -> c.phrasesAdded().mean());
        effortColumn("Removed", "removed", c -> c.phrasesRemoved().mean());
        effortColumn("Re-spanned", "respanned", c -> c.phrasesRespanned().mean());
        effortColumn("Masks redrawn", "redrawn", c -> c.masksRedrawn().mean());
        effort.addColumn(c -> c.meanMaskIou().n() == 0 ? "" : String.format(Locale.ROOT, "%.3f",
                c.meanMaskIou().mean())).setHeader("Pre-fill IoU").setKey("iou").setTextAlign(ColumnTextAlign.END);
        effort.setEmptyStateText("No pre-filled item of this dataset has been submitted or accepted yet.");

        metricCharts.setId("metric-charts");
        metricCharts.getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "var(--lumo-space-l)");
        effortCharts.setId("effort-charts");
        effortCharts.getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "var(--lumo-space-l)");

        add(new H2("Models"), controls, new H3("GCG metrics (latest evaluation of each model version, x100)"),
                recallNote, metrics, metricCharts,
                new H3("Correction effort: how much human work each model's pre-fill needed (mean per item)"),
                effort, effortCharts);
        if (!datasets.list().isEmpty()) {
            dataset.setValue(datasets.list().getFirst().name());
        }
    }

    private void runEvaluation() {
        if (dataset.getValue() == null || model.getValue() == null) {
            error("Choose a dataset and a model version first");
            return;
        }
        try {
            Evaluation e = evaluations.evaluate(dataset.getValue(), model.getValue(), snapshot.getValue(),
                    authentication.getPrincipalName().orElseThrow());
            Notification.show(String.format(Locale.ROOT, "%s evaluated on %d items: mIoU %.1f, recall %.1f (%s)",
                            e.modelVersion(), e.itemsEvaluated(), 100 * e.metrics().miou(), 100 * e.metrics().recall(),
                            e.recallLabel()), 5000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            refresh();
        } catch (RuntimeException ex) {
            error(ex.getMessage());
        }
    }

    private void queuePrefill() {
        if (dataset.getValue() == null || model.getValue() == null) {
            error("Choose a dataset and a model version first");
            return;
        }
        try {
            DatasetSummary ds = datasets.require(dataset.getValue());
            ModelVersion version = models.find(model.getValue()).orElseThrow(() ->
                    new IllegalArgumentException("No model version named \"" + model.getValue() + "\""));
            QueuedPrefill queued = prefill.queue(ds.id(), version.id(), null,
                    authentication.getPrincipalName().orElseThrow(), 0);
            Notification.show(queued.queued() + " pre-fill job(s) of " + version.name() + " queued on " + ds.name()
                            + " (" + (queued.selected() - queued.queued()) + " of " + queued.selected()
                            + " items left out: human work is never overwritten)", 6000,
                            Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (RuntimeException ex) {
            error(ex.getMessage());
        }
    }

    private void queuePredictions() {
        if (dataset.getValue() == null || model.getValue() == null) {
            error("Choose a dataset and a model version first");
            return;
        }
        try {
            DatasetSummary ds = datasets.require(dataset.getValue());
            ModelVersion version = models.find(model.getValue()).orElseThrow(() ->
                    new IllegalArgumentException("No model version named \"" + model.getValue() + "\""));
            List<Long> itemIds = null;
            if (snapshot.getValue() != null) {
                long snapshotId = snapshots.get(ds.name(), snapshot.getValue()).id();
                itemIds = snapshots.entries(snapshotId, Split.TEST).stream().map(SnapshotEntry::itemId).toList();
                if (itemIds.isEmpty()) {
                    error("Snapshot " + snapshot.getValue() + " has no test items");
                    return;
                }
            }
            QueuedPrefill queued = prefill.queue(ds.id(), version.id(), itemIds,
                    authentication.getPrincipalName().orElseThrow(), 0, JobPurpose.EVALUATION);
            Notification.show(queued.queued() + " evaluation job(s) of " + version.name() + " queued on the test items of "
                            + ds.name() + (snapshot.getValue() == null ? "" : " (snapshot " + snapshot.getValue() + ")")
                            + "; run the evaluation when a worker has answered them", 6000,
                            Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (RuntimeException ex) {
            error(ex.getMessage());
        }
    }

    /** {@code ?dataset=NAME&model=NAME}: choose that dataset and model version when they exist. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters();
        parameters.getSingleParameter("dataset")
                .filter(name -> datasets.list().stream().anyMatch(d -> d.name().equals(name)))
                .ifPresent(dataset::setValue);
        parameters.getSingleParameter("model")
                .filter(name -> models.find(name).isPresent())
                .ifPresent(name -> {
                    ModelVersionChoice.fill(model, models.list().stream().map(ModelVersion::name).toList());
                    model.setValue(name);
                });
    }

    private static void error(String message) {
        Notification.show(message, 6000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    private void refresh() {
        String name = dataset.getValue();
        ModelVersionChoice.fill(model, models.list().stream().map(ModelVersion::name).toList());
        if (name == null) {
            return;
        }
        List<Evaluation> latest = evaluations.latestPerModelVersion(name);
        metrics.setItems(latest);
        List<CorrectionEffort> corrected = new ArrayList<>();
        for (ModelVersion m : models.list()) {
            CorrectionEffort c = efforts.effort(m.name(), name);
            if (c.items() > 0) {
                corrected.add(c);
            }
        }
        effort.setItems(corrected);

        metricCharts.removeAll();
        if (!latest.isEmpty()) {
            metricCharts.add(chart("mIoU", latest, e -> 100 * e.metrics().miou(), 100),
                    chart("Recall (" + (latest.stream().allMatch(Evaluation::recallOfficial) ? "official"
                            : "fallback, not official") + ")", latest, e -> 100 * e.metrics().recall(), 100),
                    chart("AP50", latest, e -> e.metrics().ap50() < 0 ? null : 100 * e.metrics().ap50(), 100),
                    chart("CIDEr", latest, e -> 100 * e.metrics().cider(), 0));
        }
        effortCharts.removeAll();
        if (!corrected.isEmpty()) {
            effortCharts.add(effortChart("Seconds per item", corrected, c -> c.seconds().mean(), "%.0f"),
                    effortChart("Caption characters edited per item", corrected, c -> c.captionCharEdits().mean(),
                            "%.1f"),
                    effortChart("Masks redrawn per item", corrected, c -> c.masksRedrawn().mean(), "%.2f"),
                    effortChart("Phrases added + removed + re-spanned per item", corrected,
                            c -> c.phrasesAdded().mean() + c.phrasesRemoved().mean() + c.phrasesRespanned().mean(),
                            "%.2f"));
        }
    }

    private static Svg chart(String title, List<Evaluation> rows, Function<Evaluation, Double> value, double max) {
        return new Svg(SvgBarChart.render(title, rows.stream()
                .map(e -> new SvgBarChart.Bar(e.modelVersion(), value.apply(e))).toList(), "%.1f", max));
    }

    private static Svg effortChart(String title, List<CorrectionEffort> rows, Function<CorrectionEffort, Double> value,
                                   String format) {
        return new Svg(SvgBarChart.render(title, rows.stream()
                .map(c -> new SvgBarChart.Bar(c.modelVersion(), value.apply(c))).toList(), format, 0));
    }

    private static void number(Grid<Evaluation> grid, String header, String key, Function<Evaluation, Double> v) {
        grid.addColumn(e -> pct(v.apply(e))).setHeader(header).setKey(key).setTextAlign(ColumnTextAlign.END);
    }

    private void effortColumn(String header, String key, Function<CorrectionEffort, Double> v) {
        effort.addColumn(c -> String.format(Locale.ROOT, "%.2f", v.apply(c))).setHeader(header).setKey(key)
                .setTextAlign(ColumnTextAlign.END);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    /** The chosen dataset's name (for tests of other pages that link here). */
    public String datasetValue() {
        return dataset.getValue();
    }

    /** The chosen model version's name. */
    public String modelValue() {
        return model.getValue();
    }

    Select<String> datasetSelect() {
        return dataset;
    }

    ComboBox<String> modelBox() {
        return model;
    }

    Button runButton() {
        return run;
    }

    Button queuePrefillButton() {
        return queuePrefill;
    }

    Button queuePredictionsButton() {
        return queuePredictions;
    }

    Grid<Evaluation> metricsGrid() {
        return metrics;
    }

    Grid<CorrectionEffort> effortGrid() {
        return effort;
    }

    Div metricCharts() {
        return metricCharts;
    }

    Div effortCharts() {
        return effortCharts;
    }

    Paragraph recallNote() {
        return recallNote;
    }
}

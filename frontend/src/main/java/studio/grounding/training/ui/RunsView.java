package studio.grounding.training.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import jakarta.annotation.security.RolesAllowed;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.context.SecurityContextHolder;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.model.ui.ModelVersionChoice;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;
import studio.grounding.training.Launcher;
import studio.grounding.training.NewRun;
import studio.grounding.training.RunInfo;
import studio.grounding.training.RunLogs;
import studio.grounding.training.TrainingService;

/**
 * Finetuning runs for curators: launch one (base model version, snapshot, launcher, hyperparameters), follow the
 * runs' status and progress (polled every {@value #POLL_MILLIS} ms while the page is open), read a run's logs, cancel it,
 * and open the model version a finished run registered on the models page.
 */
@Route("training")
@PageTitle("Training runs · Grounding Studio")
@Menu(order = 35, icon = "vaadin:rocket", title = "Training runs")
@RolesAllowed({"CURATOR", "ADMIN"})
public class RunsView extends VerticalLayout {

    /** How often an open page reloads the runs, their progress and the selected run's logs. */
    static final int POLL_MILLIS = 2000;

    private final TrainingService training;
    private final SnapshotService snapshots;
    private final ComboBox<ModelVersion> baseModel = new ComboBox<>("Base model version");
    private final ComboBox<DatasetSummary> dataset = new ComboBox<>("Dataset");
    private final ComboBox<SnapshotInfo> snapshot = new ComboBox<>("Snapshot");
    private final Select<Launcher> launcher = new Select<>();
    private final TextArea hyperparameters = new TextArea("Hyperparameters (name=value per line)");
    private final Span message = new Span();
    private final Grid<RunInfo> grid = new Grid<>(RunInfo.class, false);
    private final H3 logsTitle = new H3("Logs");
    private final Pre logs = new Pre();
    private Long selectedRun;
    /** The run started on this page, whose status the message line follows. */
    private Long startedRun;
    private boolean refreshing;
    private Registration pollRegistration;

    public RunsView(TrainingService training, SnapshotService snapshots, DatasetService datasets,
                    ModelVersionService models) {
        this.training = training;
        this.snapshots = snapshots;
        addClassName("runs-view");
        setSizeFull();

        baseModel.setId("run-base-model");
        ModelVersionChoice.fill(baseModel, models.list());
        baseModel.setItemLabelGenerator(ModelVersion::name);
        dataset.setId("run-dataset");
        dataset.setItems(datasets.list());
        dataset.setItemLabelGenerator(DatasetSummary::name);
        dataset.addValueChangeListener(e -> snapshot.setItems(e.getValue() == null ? List.of() : snapshots.list(e.getValue().name())));
        snapshot.setId("run-snapshot");
        snapshot.setItemLabelGenerator(s -> "#" + s.number() + " · " + s.items() + " items · " + s.contentHash().substring(0, 8));
        launcher.setId("run-launcher");
        launcher.setLabel("Launcher");
        launcher.setItems(Launcher.values());
        launcher.setValue(Launcher.LOCAL);
        hyperparameters.setId("run-hyperparameters");
        hyperparameters.setPlaceholder("epochs=2\nlr=3e-4\ngpus=8");
        hyperparameters.setWidth("18rem");
        Button start = new Button("Start run", e -> start());
        start.setId("start-run");
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button refresh = new Button("Refresh", e -> refresh());
        refresh.setId("refresh-runs");
        message.setId("run-message");
        HorizontalLayout form = new HorizontalLayout(baseModel, dataset, snapshot, launcher, hyperparameters, start);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);

        grid.setId("runs");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(RunInfo::id).setHeader("Run").setAutoWidth(true).setFlexGrow(0).setKey("id");
        grid.addColumn(r -> r.status().name()).setHeader("Status").setAutoWidth(true).setKey("status");
        grid.addComponentColumn(RunsView::progress).setHeader("Progress").setWidth("10rem").setKey("progress");
        grid.addColumn(RunInfo::baseModel).setHeader("Base model").setAutoWidth(true).setKey("base");
        grid.addColumn(r -> r.dataset() + " #" + r.snapshotNumber()).setHeader("Snapshot").setAutoWidth(true).setKey("snapshot");
        grid.addColumn(r -> r.launcher().name()).setHeader("Launcher").setAutoWidth(true).setKey("launcher");
        grid.addComponentColumn(RunsView::resultModel).setHeader("New model version").setAutoWidth(true)
                .setKey("result");
        grid.addComponentColumn(this::cancelButton).setHeader("").setAutoWidth(true).setKey("actions");
        grid.setEmptyStateText("No training runs yet.");
        grid.setHeight("20rem");
        grid.asSingleSelect().addValueChangeListener(e -> {
            if (refreshing) {
                return;
            }
            selectedRun = e.getValue() == null ? null : e.getValue().id();
            showLogs();
        });
        logs.setId("run-logs");
        logs.setWidthFull();
        logs.getStyle().set("max-height", "20rem").set("overflow", "auto");

        Paragraph help = new Paragraph("A run writes a bundle (the snapshot in GLaMM's data layout, manifest.json, "
                + "train.sh with GLaMM's training command). LOCAL runs it here; KUBERNETES and SLURM write a job file "
                + "for your cluster. A run that ends with a model directory registers a new model version.");
        help.addClassName("help-text");
        add(new H2("Training runs"), help, form, message, refresh, grid, logsTitle, logs);
        refresh();
    }

    void start() {
        if (baseModel.getValue() == null || dataset.getValue() == null || snapshot.getValue() == null) {
            startedRun = null;
            message.setText("Choose the base model version, the dataset and the snapshot.");
            message.getElement().setAttribute("theme", "badge error");
            return;
        }
        try {
            RunInfo run = training.start(new NewRun(baseModel.getValue().name(), dataset.getValue().name(),
                    snapshot.getValue().number(), launcher.getValue(), parse(hyperparameters.getValue())), username());
            startedRun = run.id();
            showStarted(run);
            selectedRun = run.id();
        } catch (IllegalArgumentException | IllegalStateException e) {
            startedRun = null;
            message.setText(e.getMessage());
            message.getElement().setAttribute("theme", "badge error");
        }
        refresh();
    }

    private void showStarted(RunInfo run) {
        message.setText("Run #" + run.id() + ": " + run.status()
                + (run.launchFile() == null ? "" : " · job file " + run.launchFile())
                + (run.resultModel() == null ? "" : " · new model version " + run.resultModel()));
        message.getElement().setAttribute("theme", switch (run.status()) {
            case FAILED, CANCELLED -> "badge error";
            case SUCCEEDED -> "badge success";
            default -> "badge";
        });
    }

    /** {@code name=value} lines; a line without {@code =} is refused with its text. */
    static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        if (text == null) {
            return values;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("hyperparameters: \"" + line.strip() + "\" is not name=value");
            }
            values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return values;
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        UI ui = event.getUI();
        ui.setPollInterval(POLL_MILLIS);
        pollRegistration = ui.addPollListener(e -> refresh());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (pollRegistration != null) {
            pollRegistration.remove();
            pollRegistration = null;
        }
        event.getUI().setPollInterval(-1);
        super.onDetach(event);
    }

    /** Reloads the runs (keeping the selected one selected) and the selected run's logs. */
    void refresh() {
        List<RunInfo> runs = training.list();
        refreshing = true;
        try {
            grid.setItems(runs);
            if (selectedRun != null) {
                runs.stream().filter(r -> r.id() == selectedRun).findFirst().ifPresent(grid::select);
            }
            if (startedRun != null) {
                runs.stream().filter(r -> r.id() == startedRun).findFirst().ifPresent(this::showStarted);
            }
        } finally {
            refreshing = false;
        }
        showLogs();
    }

    /** The model version a run registered, linked to the models page with the run's dataset and that version chosen. */
    private static Component resultModel(RunInfo run) {
        if (run.resultModel() == null) {
            return new Span();
        }
        Anchor link = new Anchor(modelsPage(run), run.resultModel());
        link.addClassName("result-model");
        link.getElement().setAttribute("title", "Compare it with the other versions on " + run.dataset());
        return link;
    }

    static String modelsPage(RunInfo run) {
        return "models?dataset=" + URLEncoder.encode(run.dataset(), StandardCharsets.UTF_8)
                + "&model=" + URLEncoder.encode(run.resultModel(), StandardCharsets.UTF_8);
    }

    private void showLogs() {
        if (selectedRun == null) {
            logsTitle.setText("Logs");
            logs.setText("Select a run to see its logs.");
            return;
        }
        RunInfo run = training.get(selectedRun);
        RunLogs tail = training.logs(selectedRun, 200);
        logsTitle.setText("Logs of run #" + run.id() + " (" + run.status() + ")");
        StringBuilder text = new StringBuilder();
        text.append("bundle: ").append(run.bundleDir()).append('\n');
        if (run.launchFile() != null) {
            text.append("job file: ").append(run.launchFile()).append('\n');
        }
        if (run.resultModel() != null) {
            text.append("new model version: ").append(run.resultModel()).append(" (#").append(run.resultModelId()).append(")\n");
        }
        if (run.error() != null) {
            text.append(run.error()).append('\n');
        }
        tail.stdout().forEach(l -> text.append(l).append('\n'));
        tail.stderr().forEach(l -> text.append("stderr| ").append(l).append('\n'));
        logs.setText(text.toString());
    }

    private Component cancelButton(RunInfo run) {
        if (run.status().finished()) {
            return new Span();
        }
        Button cancel = new Button("Cancel", e -> {
            try {
                training.cancel(run.id(), username());
            } catch (IllegalStateException ex) {
                message.setText(ex.getMessage());
            }
            refresh();
        });
        cancel.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        cancel.addClassName("cancel-run");
        return cancel;
    }

    private static Component progress(RunInfo run) {
        if (run.progress() == null || run.progress().fraction() == null) {
            return new Span(run.progress() != null && run.progress().message() != null ? run.progress().message() : "");
        }
        ProgressBar bar = new ProgressBar(0, 1, run.progress().fraction());
        bar.getElement().setAttribute("title", run.progress().step() + " / " + run.progress().totalSteps());
        return bar;
    }

    private static String username() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "unknown" : authentication.getName();
    }

    Grid<RunInfo> grid() {
        return grid;
    }
}

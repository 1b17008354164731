package studio.grounding.prefill.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.RolesAllowed;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.model.ui.ModelVersionChoice;
import studio.grounding.prefill.DatasetQueue;
import studio.grounding.prefill.JobInfo;
import studio.grounding.prefill.JobStatus;
import studio.grounding.prefill.PrefillService;
import studio.grounding.prefill.PrefillStats;
import studio.grounding.prefill.QueuedPrefill;
import studio.grounding.prefill.WorkerSeen;

/**
 * The curator's pre-fill page: queue a dataset for pre-filling with a model version; the queue overall and per
 * dataset; throughput per model version (jobs per minute over the last hour, mean time per job and per pipeline
 * stage); running jobs with their worker and lease expiry; failed (parked) jobs with their errors. Failed and
 * cancelled jobs can be retried, queued and running ones cancelled. Refreshes itself every 5 seconds.
 */
@Route("prefill")
@PageTitle("Pre-fill · Grounding Studio")
@Menu(order = 40, icon = "vaadin:automation", title = "Pre-fill")
@RolesAllowed("CURATOR")
public class PrefillView extends VerticalLayout {

    static final int POLL_MILLIS = 5_000;
    static final int ROWS = 200;
    /** a worker counts as connected when it asked for jobs this recently (workers poll every few seconds) */
    static final Duration WORKER_WINDOW = Duration.ofMinutes(2);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final transient PrefillService prefill;
    private final transient DatasetService datasets;
    private final transient ModelVersionService models;
    private final String username;

    private final ComboBox<DatasetSummary> dataset = new ComboBox<>("Dataset");
    private final ComboBox<ModelVersion> model = new ComboBox<>("Model version");
    private final IntegerField priority = new IntegerField("Priority");
    private final Map<JobStatus, Span> totals = new EnumMap<>(JobStatus.class);
    /** the file name of each job's item, read again on every refresh */
    private final Map<Long, String> fileNames = new HashMap<>();
    private final Span workers = new Span();
    private final Grid<DatasetQueue> perDataset = new Grid<>(DatasetQueue.class, false);
    private final Grid<PrefillStats.ModelStats> perModel = new Grid<>(PrefillStats.ModelStats.class, false);
    private final Grid<JobInfo> running = jobGrid("prefill-running");
    private final Grid<JobInfo> queued = jobGrid("prefill-queued");
    private final Grid<JobInfo> failed = jobGrid("prefill-failed");
    private final Grid<JobInfo> cancelled = jobGrid("prefill-cancelled");
    private Registration polling;

    public PrefillView(PrefillService prefill, DatasetService datasets, ModelVersionService models,
                       AuthenticationContext authentication) {
        this.prefill = prefill;
        this.datasets = datasets;
        this.models = models;
        this.username = authentication.getPrincipalName()
                .orElseThrow(() -> new IllegalStateException("No user is signed in"));
        addClassName("prefill-view");
        setWidthFull();

        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh());
        refresh.setId("prefill-refresh");
        refresh.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout header = new HorizontalLayout(new H2("Pre-fill"), refresh);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.setJustifyContentMode(FlexComponent.JustifyContentMode.BETWEEN);

        workers.setId("prefill-workers");
        workers.addClassName("prefill-workers");
        add(header, workers, queueForm(), totalsBar());

        perDataset.setId("prefill-datasets");
        perDataset.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        perDataset.addColumn(DatasetQueue::datasetName).setHeader("Dataset").setFlexGrow(2).setKey("dataset");
        for (JobStatus s : JobStatus.values()) {
            perDataset.addColumn(q -> q.count(s)).setHeader(label(s)).setAutoWidth(true).setKey(s.name());
        }
        perDataset.setAllRowsVisible(true);
        perDataset.setEmptyStateText("No dataset has pre-fill jobs yet.");

        perModel.setId("prefill-models");
        perModel.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        perModel.addColumn(PrefillStats.ModelStats::modelVersionName).setHeader("Model version").setFlexGrow(1)
                .setKey("model");
        perModel.addColumn(m -> m.byStatus().getOrDefault(JobStatus.QUEUED, 0L)).setHeader("Queued").setAutoWidth(true)
                .setKey("queued");
        perModel.addColumn(m -> m.byStatus().getOrDefault(JobStatus.RUNNING, 0L)).setHeader("Running")
                .setAutoWidth(true).setKey("running");
        perModel.addColumn(PrefillStats.ModelStats::finishedLastHour).setHeader("Done, last hour").setAutoWidth(true)
                .setKey("lastHour");
        perModel.addColumn(m -> String.format(Locale.ROOT, "%.2f", m.perMinuteLastHour())).setHeader("Jobs/min (1 h)")
                .setAutoWidth(true).setKey("perMinute");
        perModel.addColumn(m -> m.meanRunMillis() == null ? "–" : millis(m.meanRunMillis())).setHeader("Mean per job")
                .setAutoWidth(true).setKey("meanRun");
        perModel.addColumn(PrefillView::stages).setHeader("Mean per stage (1 h)").setFlexGrow(3).setKey("stages");
        perModel.setAllRowsVisible(true);
        perModel.setEmptyStateText("No model version has pre-fill jobs yet.");

        running.addColumn(JobInfo::worker).setHeader("Worker").setAutoWidth(true).setKey("worker");
        running.addColumn(j -> time(j.leaseExpiresAt())).setHeader("Lease expires").setAutoWidth(true).setKey("lease");
        running.addComponentColumn(j -> action("Cancel", j, this::cancel)).setKey("actions").setAutoWidth(true);
        running.setEmptyStateText("No job is running.");

        queued.addColumn(j -> time(j.createdAt())).setHeader("Queued at").setAutoWidth(true).setKey("created");
        queued.addComponentColumn(j -> action("Cancel", j, this::cancel)).setKey("actions").setAutoWidth(true);
        queued.setEmptyStateText("The queue is empty.");

        failed.addColumn(JobInfo::lastError).setHeader("Error").setFlexGrow(4).setKey("error");
        failed.addColumn(j -> time(j.finishedAt())).setHeader("Parked at").setAutoWidth(true).setKey("finished");
        failed.addComponentColumn(j -> action("Retry", j, this::retry)).setKey("actions").setAutoWidth(true);
        failed.setEmptyStateText("No job has failed.");

        cancelled.addColumn(j -> j.lastError() == null ? "" : j.lastError()).setHeader("Last error").setFlexGrow(3)
                .setKey("error");
        cancelled.addComponentColumn(j -> action("Retry", j, this::retry)).setKey("actions").setAutoWidth(true);
        cancelled.setEmptyStateText("No job was cancelled.");

        add(new H3("Per dataset"), perDataset, new H3("Throughput per model version"), perModel,
                new H3("Running"), running, new H3("Failed (parked after their last attempt)"), failed,
                new H3("Queued (next first)"), queued, new H3("Cancelled"), cancelled);
        refresh();
    }

    private Component queueForm() {
        dataset.setId("prefill-dataset");
        dataset.setItemLabelGenerator(DatasetSummary::name);
        dataset.setItems(datasets.list());
        dataset.setWidth("18rem");
        model.setId("prefill-model");
        model.setItemLabelGenerator(ModelVersion::name);
        ModelVersionChoice.fill(model, models.list());
        model.setWidth("16rem");
        priority.setId("prefill-priority");
        priority.setValue(0);
        priority.setStepButtonsVisible(true);
        priority.setWidth("8rem");
        priority.setHelperText("higher runs first");
        Button queue = new Button("Queue pre-fill", VaadinIcon.PLAY.create(), e -> queue());
        queue.setId("queue-prefill");
        queue.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(dataset, model, priority, queue);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.addClassName("prefill-form");
        return form;
    }

    private Component totalsBar() {
        HorizontalLayout bar = new HorizontalLayout();
        bar.setId("prefill-totals");
        bar.addClassName("prefill-totals");
        for (JobStatus s : JobStatus.values()) {
            Span count = new Span();
            count.setId("total-" + s.name().toLowerCase(Locale.ROOT));
            count.getElement().setAttribute("data-status", s.name());
            count.addClassName("prefill-total");
            totals.put(s, count);
            bar.add(count);
        }
        return bar;
    }

    /** Queues the chosen dataset with the chosen model version; bad input is shown on the field, nothing queued. */
    void queue() {
        dataset.setInvalid(false);
        model.setInvalid(false);
        if (dataset.getValue() == null) {
            dataset.setErrorMessage("Choose a dataset");
            dataset.setInvalid(true);
            return;
        }
        if (model.getValue() == null) {
            model.setErrorMessage("Choose a model version");
            model.setInvalid(true);
            return;
        }
        int p = priority.getValue() == null ? 0 : priority.getValue();
        try {
            QueuedPrefill q = prefill.queue(dataset.getValue().id(), model.getValue().id(), null, username, p);
            Notification.show(q.queued() + " of " + q.selected() + " items queued for " + model.getValue().name()
                            + (q.queued() < q.selected() ? " (the others have human work or a live job)" : ""),
                    4000, Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (RuntimeException e) {
            Notification.show("Not queued: " + e.getMessage(), 6000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        refresh();
    }

    void retry(JobInfo job) {
        act(() -> prefill.retry(job.id()), "Job #" + job.id() + " queued again");
    }

    void cancel(JobInfo job) {
        act(() -> prefill.cancel(job.id()), "Job #" + job.id() + " cancelled");
    }

    private void act(Runnable action, String done) {
        try {
            action.run();
            Notification.show(done, 3000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (RuntimeException e) {   // e.g. the job moved on meanwhile
            Notification.show(e.getMessage(), 6000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        refresh();
    }

    /** Reads everything again. */
    void refresh() {
        PrefillStats stats = prefill.stats();
        totals.forEach((s, span) -> span.setText(label(s) + " " + stats.byStatus().getOrDefault(s, 0L)));
        perDataset.setItems(prefill.datasetQueues());
        perModel.setItems(stats.perModel());
        Map<Grid<JobInfo>, List<JobInfo>> jobs = new LinkedHashMap<>();
        for (JobStatus s : List.of(JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.FAILED, JobStatus.CANCELLED)) {
            jobs.put(grid(s), prefill.jobs(s, null, ROWS));
        }
        fileNames.clear();
        datasets.items(jobs.values().stream().flatMap(List::stream).map(JobInfo::itemId).distinct().toList())
                .forEach(item -> fileNames.put(item.id(), item.image().fileName()));
        jobs.forEach(Grid::setItems);
        showWorkers(prefill.workersSeen(WORKER_WINDOW), stats.byStatus().getOrDefault(JobStatus.QUEUED, 0L));
    }

    /** Whether a worker is connected: jobs only run when one claims them (issue 14: the page gave no sign). */
    private void showWorkers(List<WorkerSeen> seen, long queuedJobs) {
        workers.removeClassNames("warn", "ok");
        if (seen.isEmpty()) {
            workers.addClassName("warn");
            workers.getElement().setAttribute("data-connected", "false");
            workers.setText("No worker connected: no inference worker asked for jobs in the last "
                    + WORKER_WINDOW.toMinutes() + " minutes" + (queuedJobs > 0 ? ", so the " + queuedJobs
                    + " queued jobs wait" : "") + ". Start one with a worker token (Users → Issue worker token; "
                    + "see inference-worker/README.md).");
        } else {
            workers.addClassName("ok");
            workers.getElement().setAttribute("data-connected", "true");
            Instant now = Instant.now();
            workers.setText("Workers connected: " + seen.stream()
                    .map(w -> w.name() + " (" + Math.max(0, Duration.between(w.lastSeen(), now).toSeconds())
                            + " s ago)")
                    .collect(Collectors.joining(", ")));
        }
    }

    String fileName(long itemId) {
        return fileNames.getOrDefault(itemId, "item #" + itemId);
    }

    Grid<JobInfo> grid(JobStatus status) {
        return switch (status) {
            case RUNNING -> running;
            case QUEUED -> queued;
            case FAILED -> failed;
            case CANCELLED -> cancelled;
            default -> throw new IllegalArgumentException("no grid for " + status);
        };
    }

    @Override
    protected void onAttach(AttachEvent event) {
        event.getUI().setPollInterval(POLL_MILLIS);
        polling = event.getUI().addPollListener(e -> refresh());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (polling != null) {
            polling.remove();
        }
        event.getUI().setPollInterval(-1);
    }

    private Grid<JobInfo> jobGrid(String id) {
        Grid<JobInfo> g = new Grid<>(JobInfo.class, false);
        g.setId(id);
        g.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        g.addColumn(JobInfo::id).setHeader("Job").setAutoWidth(true).setKey("job");
        g.addColumn(j -> fileName(j.itemId())).setHeader("Image").setFlexGrow(2).setKey("item");
        g.addColumn(j -> j.attempts() + " of " + j.maxAttempts()).setHeader("Attempts").setAutoWidth(true)
                .setKey("attempts");
        g.setAllRowsVisible(true);
        return g;
    }

    private static Button action(String text, JobInfo job, java.util.function.Consumer<JobInfo> onClick) {
        Button b = new Button(text, e -> onClick.accept(job));
        b.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        b.setId(text.toLowerCase(Locale.ROOT) + "-job-" + job.id());
        return b;
    }

    private static String stages(PrefillStats.ModelStats m) {
        if (m.meanStageMillis().isEmpty()) {
            return "–";
        }
        return m.meanStageMillis().entrySet().stream().map(e -> e.getKey() + " " + millis(e.getValue()))
                .collect(Collectors.joining(" · "));
    }

    static String millis(double ms) {
        return ms >= 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000) : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    static String label(JobStatus s) {
        String n = s.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static String time(OffsetDateTime t) {
        return t == null ? "" : TIME.format(t.atZoneSameInstant(java.time.ZoneId.systemDefault()));
    }

}

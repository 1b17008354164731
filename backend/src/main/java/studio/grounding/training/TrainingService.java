package studio.grounding.training;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.platform.StudioProperties;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finetuning runs: start one (bundle written, then launched locally or as cluster job files), follow its status,
 * progress and logs, cancel it; a run that ends with a model directory registers a new model version.
 */
@Service
public class TrainingService {

    private static final Logger log = LoggerFactory.getLogger(TrainingService.class);
    private static final int ERROR_TAIL_LINES = 20;
    /** The checkpoint a base model version without a known training checkpoint is finetuned from. */
    static final String DEFAULT_BASE_CHECKPOINT = "MBZUAI/GLaMM-GCG";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final SnapshotService snapshots;
    private final ModelVersionService models;
    private final RunBundleWriter bundles;
    private final LocalProcesses processes;
    private final Path runsDir;
    private final Path dataDir;
    private final String localCommand;
    private final String kubernetesImage;
    private final String kubernetesClaim;
    private final JsonMapper json = JsonMapper.builder().build();

    TrainingService(JdbcClient jdbc, PlatformTransactionManager transactionManager, SnapshotService snapshots,
                    ModelVersionService models, RunBundleWriter bundles, LocalProcesses processes,
                    StudioProperties properties,
                    @Value("${studio.training.local-command:}") String localCommand,
                    @Value("${studio.training.kubernetes.image:grounding-studio/glamm-train:latest}") String kubernetesImage,
                    @Value("${studio.training.kubernetes.claim:grounding-studio-data}") String kubernetesClaim) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.snapshots = snapshots;
        this.models = models;
        this.bundles = bundles;
        this.processes = processes;
        this.dataDir = properties.dataDir().toAbsolutePath().normalize();
        this.runsDir = dataDir.resolve("training/runs");
        this.localCommand = localCommand == null ? "" : localCommand.strip();
        this.kubernetesImage = kubernetesImage;
        this.kubernetesClaim = kubernetesClaim;
    }

    /**
     * Checks the request, stores the run, writes its bundle and launches it. Bad input (unknown model, snapshot or
     * setting) is refused before anything is stored; a bundle that cannot be written or a process that cannot start
     * leaves the run FAILED with the reason.
     */
    public RunInfo start(NewRun request, String createdBy) {
        if (request.baseModel() == null || request.baseModel().isBlank()) {
            throw new IllegalArgumentException("baseModel: give the base model version's name");
        }
        if (request.dataset() == null || request.dataset().isBlank() || request.snapshot() == null) {
            throw new IllegalArgumentException("snapshot: give the dataset and the snapshot number");
        }
        ModelVersion base = models.find(request.baseModel().strip()).orElseThrow(() ->
                new IllegalArgumentException("baseModel: no model version named \"" + request.baseModel() + "\""));
        SnapshotInfo snapshot = snapshots.get(request.dataset().strip(), request.snapshot());
        Hyperparameters hyperparameters = Hyperparameters.of(request.hyperparameters());
        long id = jdbc.sql("""
                        insert into training_runs (snapshot_id, base_model_id, launcher, hyperparameters, created_by)
                        values (:snapshot, :base, :launcher, cast(:hp as jsonb), :by) returning id""")
                .param("snapshot", snapshot.id()).param("base", base.id()).param("launcher", request.launcher().name())
                .param("hp", json.writeValueAsString(hyperparameters.values())).param("by", createdBy)
                .query(Long.class).single();
        RunBundle bundle = new RunBundle(runsDir.resolve(Long.toString(id)));
        jdbc.sql("update training_runs set bundle_dir = :dir where id = :id")
                .param("dir", bundle.dir().toString()).param("id", id).update();
        try {
            bundles.write(bundle, new RunBundleWriter.Plan(id, snapshot, base.name(), base.id(), baseCheckpoint(base),
                    request.launcher(), hyperparameters, createdBy, Instant.now()));
            switch (request.launcher()) {
                case LOCAL -> launchLocal(id, bundle);
                case KUBERNETES -> Files.writeString(bundle.kubernetesJob(), ClusterScripts.kubernetesJob(id,
                        hyperparameters.gpus(), kubernetesImage, kubernetesClaim,
                        dataDir.relativize(bundle.dir()).toString()));
                case SLURM -> Files.writeString(bundle.slurmScript(),
                        ClusterScripts.slurmScript(id, hyperparameters.gpus(), bundle.dir().toString()));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Training run #{} could not be launched: {}", id, e.toString());
            finish(id, RunStatus.FAILED, null, "could not be launched: " + e.getMessage());
        }
        return get(id);
    }

    private void launchLocal(long id, RunBundle bundle) throws IOException {
        List<String> command = localCommand.isEmpty()
                ? List.of("/bin/sh", bundle.trainScript().toString())
                : Arrays.asList(localCommand.split("\\s+"));
        Process process = processes.start(id, command, bundle, Map.of(
                "STUDIO_RUN_ID", Long.toString(id),
                "STUDIO_RUN_BUNDLE", bundle.dir().toString(),
                "STUDIO_RUN_OUTPUT", bundle.output().toString()), exitCode -> completed(id, exitCode));
        Instant started = process.toHandle().info().startInstant().orElse(Instant.now());
        jdbc.sql("""
                        update training_runs set status = 'RUNNING', pid = :pid, started_at = :started
                        where id = :id and status = 'QUEUED'""")
                .param("pid", process.pid()).param("started", OffsetDateTime.ofInstant(started, java.time.ZoneOffset.UTC))
                .param("id", id).update();
    }

    /** Every run, newest first (cluster runs' status read back from their bundle first). */
    public List<RunInfo> list() {
        List<Long> ids = jdbc.sql("select id from training_runs order by id desc").query(Long.class).list();
        return ids.stream().map(this::get).toList();
    }

    public RunInfo get(long id) {
        Row row = row(id);
        if (row.launcher() != Launcher.LOCAL && !row.status().finished()) {
            refreshClusterRun(row);
            row = row(id);
        }
        return infoOf(row);
    }

    /** The last {@code lines} lines of the run's stdout and stderr. */
    public RunLogs logs(long id, int lines) {
        Row row = row(id);
        RunBundle bundle = new RunBundle(Path.of(row.bundleDir()));
        return new RunLogs(id, tail(bundle.stdout(), lines), tail(bundle.stderr(), lines));
    }

    /**
     * Cancels a queued or running run: a local process tree is stopped; a cluster job must be deleted on the
     * cluster by whoever submitted it (the platform does not talk to clusters), which the error text says.
     *
     * @throws IllegalStateException if the run has already finished
     */
    public RunInfo cancel(long id, String by) {
        Row row = row(id);
        if (row.status().finished()) {
            throw new IllegalStateException("Training run #" + id + " has already finished (" + row.status() + ")");
        }
        String note = "cancelled by " + by + (row.launcher() == Launcher.LOCAL ? ""
                : "; delete the " + row.launcher() + " job on the cluster if it was submitted");
        finish(id, RunStatus.CANCELLED, null, note);
        if (row.launcher() == Launcher.LOCAL) {
            processes.stop(id);
        }
        return get(id);
    }

    /**
     * After a platform restart: local runs still QUEUED or RUNNING have lost their supervisor (their exit code can no
     * longer be observed), so they are marked FAILED as orphaned, and a process still alive is stopped. Called once
     * at server start by {@link TrainingRecovery}.
     *
     * @return the runs marked
     */
    List<Long> failOrphanedLocalRuns() {
        List<Long> marked = new ArrayList<>();
        jdbc.sql("select id, pid, started_at from training_runs where launcher = 'LOCAL' and status in ('QUEUED', 'RUNNING')")
                .query((ResultSet rs) -> {
                    long pid = rs.getLong("pid");
                    Long pidOrNull = rs.wasNull() ? null : pid;
                    OffsetDateTime started = rs.getObject("started_at", OffsetDateTime.class);
                    marked.add(rs.getLong("id"));
                    boolean stopped = pidOrNull != null
                            && LocalProcesses.stopOrphan(pidOrNull, started == null ? null : started.toInstant());
                    orphans.put(rs.getLong("id"), stopped);
                });
        for (Long id : marked) {
            if (processes.isRunning(id)) {
                continue;
            }
            finish(id, RunStatus.FAILED, null, "orphaned: the platform restarted while the run was "
                    + "running, so its outcome is unknown" + (Boolean.TRUE.equals(orphans.remove(id))
                    ? "; its process was still alive and has been stopped" : "") + "; logs are kept in the bundle");
        }
        return marked;
    }

    private final Map<Long, Boolean> orphans = new java.util.concurrent.ConcurrentHashMap<>();

    /** A local process ended. */
    void completed(long id, int exitCode) {
        try {
            Row row = row(id);
            RunBundle bundle = new RunBundle(Path.of(row.bundleDir()));
            if (exitCode != 0) {
                finish(id, RunStatus.FAILED, exitCode, "exit code " + exitCode + logTail(bundle));
                return;
            }
            if (!Files.isRegularFile(bundle.model().resolve("glamm.json"))) {
                finish(id, RunStatus.FAILED, exitCode, "exit code 0 but no model directory: "
                        + bundle.model().resolve("glamm.json") + " is missing" + logTail(bundle));
                return;
            }
            transactions.executeWithoutResult(tx -> {
                String status = jdbc.sql("select status from training_runs where id = :id for update")
                        .param("id", id).query(String.class).single();
                if (RunStatus.valueOf(status).finished()) {
                    return;
                }
                ModelVersion base = models.get(row.baseModelId()).orElseThrow();
                SnapshotInfo snapshot = snapshots.get(row.snapshotId());
                ModelVersion result = models.register(base.name() + "-ft-run" + id,
                        "Finetuned from " + base.name() + " on snapshot " + snapshot.number() + " of " + snapshot.dataset()
                                + " (" + snapshot.contentHash().substring(0, 12) + "…) by training run #" + id,
                        bundle.model().toString(), base.id());
                jdbc.sql("""
                                update training_runs set status = 'SUCCEEDED', exit_code = 0, result_model_id = :model,
                                       finished_at = now() where id = :id""")
                        .param("model", result.id()).param("id", id).update();
            });
        } catch (RuntimeException e) {
            log.warn("Training run #{} could not be completed: {}", id, e.toString());
            finish(id, RunStatus.FAILED, exitCode, "could not register the model: " + e.getMessage());
        }
    }

    /** A cluster job reports through its bundle: {@code progress.json} (running) and {@code exit-code} (done). */
    private void refreshClusterRun(Row row) {
        RunBundle bundle = new RunBundle(Path.of(row.bundleDir()));
        if (Files.isRegularFile(bundle.exitCode())) {
            try {
                String text = Files.readString(bundle.exitCode()).strip();
                if (row.status() == RunStatus.QUEUED) {
                    jdbc.sql("update training_runs set status = 'RUNNING', started_at = now() where id = :id and status = 'QUEUED'")
                            .param("id", row.id()).update();
                }
                completed(row.id(), text.matches("-?[0-9]{1,9}") ? Integer.parseInt(text) : -1);
            } catch (IOException e) {
                log.warn("Could not read {}: {}", bundle.exitCode(), e.toString());
            }
        } else if (row.status() == RunStatus.QUEUED && Files.isRegularFile(bundle.progress())) {
            jdbc.sql("update training_runs set status = 'RUNNING', started_at = now() where id = :id and status = 'QUEUED'")
                    .param("id", row.id()).update();
        }
    }

    private void finish(long id, RunStatus status, Integer exitCode, String error) {
        jdbc.sql("""
                        update training_runs set status = :status, exit_code = :code, error = :error, finished_at = now()
                        where id = :id and status in ('QUEUED', 'RUNNING')""")
                .param("status", status.name()).param("code", exitCode).param("error", error).param("id", id).update();
    }

    /** The training checkpoint of the base: a model version made by an earlier run was merged in that run's bundle. */
    private String baseCheckpoint(ModelVersion base) {
        return jdbc.sql("select bundle_dir from training_runs where result_model_id = :id").param("id", base.id())
                .query(String.class).optional()
                .map(dir -> Path.of(dir).resolve("output/merged").toString())
                .orElse(DEFAULT_BASE_CHECKPOINT);
    }

    private String logTail(RunBundle bundle) {
        List<String> stderr = tail(bundle.stderr(), ERROR_TAIL_LINES);
        List<String> lines = stderr.isEmpty() ? tail(bundle.stdout(), ERROR_TAIL_LINES) : stderr;
        return lines.isEmpty() ? "; no log output" : "; last log lines:\n" + String.join("\n", lines);
    }

    /** The last lines of a log file, reading at most its last 64 KiB. */
    static List<String> tail(Path file, int lines) {
        if (!Files.isRegularFile(file) || lines <= 0) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            List<String> all = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n")));
            if (size < length && !all.isEmpty()) {
                all.removeFirst(); // a partial line
            }
            while (!all.isEmpty() && all.getLast().isEmpty()) {
                all.removeLast();
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of("(could not read " + file.getFileName() + ": " + e.getMessage() + ")");
        }
    }

    private Optional<RunProgress> progress(RunBundle bundle) {
        if (!Files.isRegularFile(bundle.progress())) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(Files.readString(bundle.progress()));
            return Optional.of(new RunProgress(longOf(node, "step"), longOf(node, "total_steps"), longOf(node, "epoch"),
                    node.hasNonNull("loss") && node.get("loss").isNumber() ? node.get("loss").asDouble() : null,
                    node.hasNonNull("message") ? node.get("message").asString() : null));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // being rewritten, or not JSON: no progress to show
        }
    }

    private static Long longOf(JsonNode node, String field) {
        return node.hasNonNull(field) && node.get(field).isNumber() ? node.get(field).asLong() : null;
    }

    private Row row(long id) {
        return jdbc.sql("""
                        select r.*, m.name as base_name, rm.name as result_name
                        from training_runs r join model_versions m on m.id = r.base_model_id
                        left join model_versions rm on rm.id = r.result_model_id where r.id = :id""")
                .param("id", id).query(this::rowOf).optional().orElseThrow(() -> new UnknownRunException(id));
    }

    private RunInfo infoOf(Row row) {
        SnapshotInfo snapshot = snapshots.get(row.snapshotId());
        RunBundle bundle = row.bundleDir() == null ? null : new RunBundle(Path.of(row.bundleDir()));
        String launchFile = bundle == null ? null : switch (row.launcher()) {
            case LOCAL -> null;
            case KUBERNETES -> bundle.kubernetesJob().toString();
            case SLURM -> bundle.slurmScript().toString();
        };
        return new RunInfo(row.id(), snapshot.id(), snapshot.dataset(), snapshot.number(), snapshot.contentHash(),
                row.baseModelId(), row.baseName(), row.launcher(), row.hyperparameters(), row.status(), row.bundleDir(),
                launchFile, row.exitCode(), row.error(), row.resultModelId(), row.resultName(), row.createdBy(),
                row.createdAt(), row.startedAt(), row.finishedAt(), bundle == null ? null : progress(bundle).orElse(null));
    }

    private Row rowOf(ResultSet rs, int n) throws SQLException {
        Map<String, String> hp = json.readValue(rs.getString("hyperparameters"), new TypeReference<Map<String, String>>() { });
        int code = rs.getInt("exit_code");
        Integer exitCode = rs.wasNull() ? null : code;
        long result = rs.getLong("result_model_id");
        Long resultId = rs.wasNull() ? null : result;
        return new Row(rs.getLong("id"), rs.getLong("snapshot_id"), rs.getLong("base_model_id"), rs.getString("base_name"),
                Launcher.valueOf(rs.getString("launcher")), hp, RunStatus.valueOf(rs.getString("status")),
                rs.getString("bundle_dir"), exitCode, rs.getString("error"), resultId, rs.getString("result_name"),
                rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private record Row(long id, long snapshotId, long baseModelId, String baseName, Launcher launcher,
                       Map<String, String> hyperparameters, RunStatus status, String bundleDir, Integer exitCode,
                       String error, Long resultModelId, String resultName, String createdBy, Instant createdAt,
                       Instant startedAt, Instant finishedAt) {
    }
}

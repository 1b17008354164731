package studio.grounding.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;
import studio.grounding.platform.StudioProperties;
import studio.grounding.snapshot.SnapshotFixture;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;

/** The launcher round trip with a process that behaves like GLaMM training (src/test/resources/fake-train.sh). */
@StudioIntegrationTest
class TrainingServiceTest {

    static final Path FAKE_TRAIN = Path.of("src/test/resources/fake-train.sh").toAbsolutePath();
    static final Path TINY_GLAMM = Path.of("../inference-worker/src/test/resources/tiny-glamm").toAbsolutePath().normalize();

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    SnapshotService snapshots;
    @Autowired
    ModelVersionService models;
    @Autowired
    RunBundleWriter bundles;
    @Autowired
    LocalProcesses processes;
    @Autowired
    StudioProperties properties;
    @Autowired
    TrainingService defaultTraining;

    SnapshotInfo snapshot;
    ModelVersion base;

    @BeforeEach
    void snapshotAndBase() {
        SnapshotFixture fx = new SnapshotFixture(context);
        DatasetSummary ds = fx.dataset("training");
        fx.item(ds, "sa_1.png", Split.TRAIN, ItemStatus.ACCEPTED);
        fx.item(ds, "sa_2.png", Split.VAL, ItemStatus.ACCEPTED);
        fx.item(ds, "sa_3.png", Split.TEST, ItemStatus.ACCEPTED);
        snapshot = snapshots.create(ds.name(), "curator", null);
        base = models.getOrCreate("glamm-base-" + System.nanoTime());
    }

    TrainingService training(String fakeTrainArguments) {
        return new TrainingService(jdbc, transactions, snapshots, models, bundles, processes, properties,
                "/bin/sh " + FAKE_TRAIN + " " + fakeTrainArguments, "img", "claim");
    }

    NewRun run(Launcher launcher, Map<String, String> hyperparameters) {
        return new NewRun(base.name(), snapshot.dataset(), snapshot.number(), launcher, hyperparameters);
    }

    @Test
    void aLocalRunReportsProgressAndRegistersItsModelAsANewVersion() throws Exception {
        assertThat(TINY_GLAMM.resolve("glamm.json")).isRegularFile();
        TrainingService training = training("--steps 3 --delay 0.3 --model-from " + TINY_GLAMM);

        RunInfo started = training.start(run(Launcher.LOCAL, Map.of("epochs", "2", "lr", "1e-4")), "curator");

        assertThat(started.status()).isIn(RunStatus.RUNNING, RunStatus.SUCCEEDED);
        Path bundle = Path.of(started.bundleDir());
        String train = Files.readString(bundle.resolve("data/GranDf/annotations/train/GranDf_HA_GCG_train.json"));
        String val = Files.readString(bundle.resolve("data/GranDf/annotations/train/OpenPsgGCG_val.json"));
        for (var entry : snapshots.entries(snapshot.id(), null)) {
            String name = "\"" + entry.fileName() + "\"";
            assertThat(train.contains(name)).as(entry.toString()).isEqualTo(entry.split() == Split.TRAIN);
            assertThat(val.contains(name)).as(entry.toString()).isEqualTo(entry.split() == Split.VAL);
            assertThat(bundle.resolve("data/GranDf_HA_images/" + (entry.split() == Split.TRAIN ? "train/" : "val_test/")
                    + entry.fileName())).isRegularFile();
        }
        assertThat(val).contains("\"sa_2.png\"");
        assertThat(bundle.resolve("data/coco_2017/train2017/sa_2.png")).isRegularFile();
        assertThat(bundle.resolve("data/GranDf/annotations/val_test/test_gcg_coco_mask_gt.json")).isRegularFile();
        assertThat(bundle.resolve("data/GranDf/annotations/val_test/val_gcg_coco_caption_gt.json")).isRegularFile();
        String manifest = Files.readString(bundle.resolve("manifest.json"));
        assertThat(manifest).contains("\"run_id\" : " + started.id()).contains(snapshot.contentHash())
                .contains(base.name()).contains("\"epochs\" : \"2\"").contains("\"lr\" : \"1e-4\"");
        String script = Files.readString(bundle.resolve("train.sh"));
        assertThat(script).contains("deepspeed --num_gpus 8").contains("train.py").contains("--version \"$BASE_MODEL\"")
                .contains("--dataset_dir \"$BUNDLE/data/\"").contains("--vision_pretrained \"$SAM_CHECKPOINT\"")
                .contains("--exp_name 'run-" + started.id() + "'").contains("--epochs '2'").contains("--lr '1e-4'")
                .contains("--seg_dataset 'GranDf_GCG'").contains("merge_lora_weights.py").contains("export_glamm.py");

        RunInfo running = await(training, started.id(), r -> r.progress() != null && r.progress().step() != null);
        assertThat(running.progress().totalSteps()).isEqualTo(3);
        RunInfo done = await(training, started.id(), r -> r.status().finished());

        assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.exitCode()).isZero();
        assertThat(done.progress().step()).isEqualTo(3);
        assertThat(done.progress().fraction()).isEqualTo(1.0);
        assertThat(done.progress().loss()).isEqualTo(0.5);
        ModelVersion result = models.get(done.resultModelId()).orElseThrow();
        assertThat(result.parentId()).isEqualTo(base.id());
        assertThat(result.name()).isEqualTo(done.resultModel()).startsWith(base.name());
        assertThat(Path.of(result.modelDir()).resolve("glamm.json")).hasSameTextualContentAs(TINY_GLAMM.resolve("glamm.json"));
        assertThat(Path.of(result.modelDir()).resolve("language_model.pt")).isRegularFile();
        assertThat(training.logs(done.id(), 50).stdout()).anyMatch(l -> l.contains("Epoch: [0][3/3]"));
        assertThat(training.list()).extracting(RunInfo::id).contains(done.id());
    }

    @Test
    void aFailingRunIsFailedWithItsLogTail() throws Exception {
        TrainingService training = training("--steps 3 --delay 0.1 --fail-at 2");

        RunInfo done = await(training, training.start(run(Launcher.LOCAL, Map.of()), "curator").id(),
                r -> r.status().finished());

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.exitCode()).isEqualTo(3);
        assertThat(done.error()).contains("exit code 3").contains("CUDA out of memory (simulated) at step 2");
        assertThat(done.resultModelId()).isNull();
        assertThat(training.logs(done.id(), 5).stderr()).containsExactly("RuntimeError: CUDA out of memory (simulated) at step 2");
    }

    @Test
    void aRunThatEndsWithoutAModelDirectoryFails() throws Exception {
        TrainingService training = new TrainingService(jdbc, transactions, snapshots, models, bundles, processes,
                properties, "/bin/true", "img", "claim");

        RunInfo done = await(training, training.start(run(Launcher.LOCAL, Map.of()), "curator").id(),
                r -> r.status().finished());

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.error()).contains("no model directory").contains("glamm.json");
    }

    @Test
    void cancellingStopsTheProcess() throws Exception {
        TrainingService training = training("--steps 100 --delay 1");
        RunInfo started = training.start(run(Launcher.LOCAL, Map.of()), "curator");
        long pid = jdbc.sql("select pid from training_runs where id = :id").param("id", started.id()).query(Long.class).single();
        assertThat(ProcessHandle.of(pid)).isPresent();

        RunInfo cancelled = training.cancel(started.id(), "curator");

        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.error()).contains("cancelled by curator");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Thread.sleep(300);
        assertThat(training.get(started.id()).status()).as("the exit does not overwrite CANCELLED").isEqualTo(RunStatus.CANCELLED);
        assertThatThrownBy(() -> training.cancel(started.id(), "curator")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already finished");
    }

    @Test
    void badRequestsAreRefusedWithTheFieldAndNothingIsStored() {
        int before = runs();
        assertThatThrownBy(() -> defaultTraining.start(run(Launcher.LOCAL, Map.of("learning_rate", "1")), "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hyperparameters.learning_rate");
        assertThatThrownBy(() -> defaultTraining.start(run(Launcher.LOCAL, Map.of("lr", "fast; rm -rf /")), "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hyperparameters.lr");
        assertThatThrownBy(() -> defaultTraining.start(run(Launcher.SLURM, Map.of("gpus", "0")), "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hyperparameters.gpus");
        assertThatThrownBy(() -> defaultTraining.start(new NewRun("no-such-model", snapshot.dataset(), 1, null, null), "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseModel");
        assertThatThrownBy(() -> defaultTraining.start(new NewRun(base.name(), snapshot.dataset(), 99, null, null), "c"))
                .hasMessageContaining("99");
        assertThat(runs()).isEqualTo(before);
    }

    @Test
    void clusterLaunchersWriteJobFilesAndReadTheOutcomeBackFromTheBundle() throws Exception {
        RunInfo k8s = defaultTraining.start(run(Launcher.KUBERNETES, Map.of("gpus", "2")), "curator");
        assertThat(k8s.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(k8s.launchFile()).endsWith("job.yaml");
        String job = Files.readString(Path.of(k8s.launchFile()));
        assertThat(job).contains("kind: Job").contains("nvidia.com/gpu: 2").contains("restartPolicy: Never")
                .contains("sh /bundle/train.sh").contains("subPath: training/runs/" + k8s.id())
                .contains("echo $code > /bundle/exit-code");
        assertThat(Path.of(k8s.bundleDir()).resolve("train.sh")).content().contains("deepspeed --num_gpus 2");

        RunInfo slurm = defaultTraining.start(run(Launcher.SLURM, Map.of("gpus", "4")), "curator");
        assertThat(Files.readString(Path.of(slurm.launchFile()))).contains("#SBATCH --gres=gpu:4")
                .contains("sh train.sh > logs/stdout.log").contains("echo $code > exit-code");

        // the cluster job runs (simulated here by writing what its script writes)
        Path bundle = Path.of(k8s.bundleDir());
        Files.writeString(bundle.resolve("progress.json"), "{\"step\": 1, \"total_steps\": 4}");
        assertThat(defaultTraining.get(k8s.id()).status()).isEqualTo(RunStatus.RUNNING);
        Files.createDirectories(bundle.resolve("output/model"));
        Files.writeString(bundle.resolve("output/model/glamm.json"), "{}");
        Files.writeString(bundle.resolve("exit-code"), "0\n");
        RunInfo done = defaultTraining.get(k8s.id());
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(models.get(done.resultModelId()).orElseThrow().parentId()).isEqualTo(base.id());

        Files.writeString(Path.of(slurm.bundleDir()).resolve("exit-code"), "1\n");
        assertThat(defaultTraining.get(slurm.id()).status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void aRestartMarksLocalRunsItWasSupervisingAsOrphanedAndStopsTheirProcess() throws Exception {
        Process dead = new ProcessBuilder("/bin/true").start();
        dead.waitFor();
        Process alive = new ProcessBuilder("/bin/sleep", "60").start();
        Instant aliveStarted = alive.toHandle().info().startInstant().orElseThrow();
        long deadRun = orphanRow(dead.pid(), Instant.now());
        long aliveRun = orphanRow(alive.pid(), aliveStarted);
        try {
            assertThat(defaultTraining.failOrphanedLocalRuns()).contains(deadRun, aliveRun);

            RunInfo d = defaultTraining.get(deadRun);
            assertThat(d.status()).isEqualTo(RunStatus.FAILED);
            assertThat(d.error()).contains("orphaned").doesNotContain("has been stopped");
            RunInfo a = defaultTraining.get(aliveRun);
            assertThat(a.status()).isEqualTo(RunStatus.FAILED);
            assertThat(a.error()).contains("orphaned").contains("has been stopped");
            assertThat(alive.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            alive.destroyForcibly();
        }
    }

    private long orphanRow(long pid, Instant started) throws Exception {
        Path dir = properties.dataDir().resolve("training/runs/orphan-" + pid);
        Files.createDirectories(dir);
        return jdbc.sql("""
                        insert into training_runs (snapshot_id, base_model_id, launcher, status, bundle_dir, pid,
                                                   created_by, started_at)
                        values (:s, :b, 'LOCAL', 'RUNNING', :dir, :pid, 'test', :started) returning id""")
                .param("s", snapshot.id()).param("b", base.id()).param("dir", dir.toString()).param("pid", pid)
                .param("started", OffsetDateTime.ofInstant(started, ZoneOffset.UTC)).query(Long.class).single();
    }

    private int runs() {
        return jdbc.sql("select count(*) from training_runs").query(Integer.class).single();
    }

    private static RunInfo await(TrainingService training, long id, Predicate<RunInfo> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        RunInfo run = training.get(id);
        while (!condition.test(run) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            run = training.get(id);
        }
        assertThat(condition.test(run)).as("run #" + id + " reached the condition: " + run).isTrue();
        return run;
    }
}

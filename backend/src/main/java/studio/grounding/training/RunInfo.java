package studio.grounding.training;

import java.time.Instant;
import java.util.Map;

/**
 * A finetuning run as the platform knows it.
 *
 * @param bundleDir      the run bundle directory (export, manifest.json, train.sh, logs, output)
 * @param launchFile     the generated job manifest (Kubernetes {@code job.yaml}, Slurm {@code job.sbatch}), or null
 * @param error          why it failed (with the log tail) or was cancelled, or null
 * @param resultModelId  the model version registered from its output, once SUCCEEDED
 * @param progress       what the run last wrote to {@code progress.json}, or null
 */
public record RunInfo(long id, long snapshotId, String dataset, int snapshotNumber, String snapshotHash,
                      long baseModelId, String baseModel, Launcher launcher, Map<String, String> hyperparameters,
                      RunStatus status, String bundleDir, String launchFile, Integer exitCode, String error,
                      Long resultModelId, String resultModel, String createdBy, Instant createdAt, Instant startedAt,
                      Instant finishedAt, RunProgress progress) {

    public RunInfo {
        hyperparameters = Map.copyOf(hyperparameters);
    }
}

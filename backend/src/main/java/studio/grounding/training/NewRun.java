package studio.grounding.training;

import java.util.Map;

/**
 * A run to start: the base model version (by name), a snapshot (dataset and number), the launcher (LOCAL if null)
 * and hyperparameters (GLaMM train.py settings, see {@code Hyperparameters}; defaults for those left out).
 */
public record NewRun(String baseModel, String dataset, Integer snapshot, Launcher launcher,
                     Map<String, String> hyperparameters) {

    public NewRun {
        launcher = launcher == null ? Launcher.LOCAL : launcher;
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }
}

package studio.grounding.api;

import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import studio.grounding.training.Launcher;
import studio.grounding.training.NewRun;
import studio.grounding.training.RunInfo;
import studio.grounding.training.RunLogs;
import studio.grounding.training.TrainingService;

/** Finetuning runs for curators: start, follow, read logs, cancel. */
@RestController
@RequestMapping("/api/v1/training/runs")
class TrainingController {

    private final TrainingService training;

    TrainingController(TrainingService training) {
        this.training = training;
    }

    /**
     * {@code baseModel}: model version name; {@code dataset} and {@code snapshot} (number); {@code launcher}: LOCAL
     * (default), KUBERNETES or SLURM; {@code hyperparameters}: GLaMM train.py settings and {@code gpus}.
     */
    record StartRequest(String baseModel, String dataset, Integer snapshot, String launcher,
                        Map<String, String> hyperparameters) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    RunInfo start(Principal caller, @RequestBody StartRequest request) {
        Launcher launcher;
        try {
            launcher = request.launcher() == null || request.launcher().isBlank() ? Launcher.LOCAL
                    : Launcher.valueOf(request.launcher().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("launcher: \"" + request.launcher() + "\" is not LOCAL, KUBERNETES or SLURM");
        }
        return training.start(new NewRun(request.baseModel(), request.dataset(), request.snapshot(), launcher,
                request.hyperparameters()), caller.getName());
    }

    @GetMapping
    List<RunInfo> list() {
        return training.list();
    }

    @GetMapping("/{id}")
    RunInfo get(@PathVariable long id) {
        return training.get(id);
    }

    @GetMapping("/{id}/logs")
    RunLogs logs(@PathVariable long id, @RequestParam(defaultValue = "200") int lines) {
        if (lines < 1 || lines > 5000) {
            throw new IllegalArgumentException("lines: between 1 and 5000");
        }
        return training.logs(id, lines);
    }

    @PostMapping("/{id}/cancel")
    RunInfo cancel(Principal caller, @PathVariable long id) {
        return training.cancel(id, caller.getName());
    }
}

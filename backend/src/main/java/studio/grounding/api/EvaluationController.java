package studio.grounding.api;

import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import studio.grounding.evaluation.CorrectionEffort;
import studio.grounding.evaluation.CorrectionEffortService;
import studio.grounding.evaluation.Evaluation;
import studio.grounding.evaluation.EvaluationService;

/**
 * GCG evaluations of model versions (curators run them, reviewers read them) and the correction effort their
 * pre-fills needed. Recall always carries {@code recallLabel}: "official: ..." or "fallback: ..., not the official
 * number".
 */
@RestController
class EvaluationController {

    private final EvaluationService evaluations;
    private final CorrectionEffortService efforts;

    EvaluationController(EvaluationService evaluations, CorrectionEffortService efforts) {
        this.evaluations = evaluations;
        this.efforts = efforts;
    }

    /** {@code snapshot}: score against that snapshot's test split instead of the current accepted test items. */
    record EvaluateRequest(String dataset, String model, Integer snapshot) {
    }

    @PostMapping("/api/v1/evaluations")
    @ResponseStatus(HttpStatus.CREATED)
    Evaluation evaluate(Principal caller, @RequestBody EvaluateRequest request) {
        return evaluations.evaluate(request.dataset(), request.model(), request.snapshot(), caller.getName());
    }

    /** A model version's evaluations, newest first. */
    @GetMapping("/api/v1/models/{name}/evaluations")
    List<Evaluation> evaluations(@PathVariable String name) {
        return evaluations.evaluations(name);
    }

    /** The correction effort of a model version's pre-fills on a dataset, aggregated and per item. */
    @GetMapping("/api/v1/models/{name}/effort")
    CorrectionEffort effort(@PathVariable String name, @RequestParam(required = false) String dataset) {
        return efforts.effort(name, dataset);
    }
}

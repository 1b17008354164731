package studio.grounding.api;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import studio.grounding.model.ModelVersionService;

/** The registered model versions. */
@RestController
class ModelVersionController {

    private final ModelVersionService models;

    ModelVersionController(ModelVersionService models) {
        this.models = models;
    }

    /** Every model version, oldest first. */
    @GetMapping("/api/v1/model-versions")
    List<ApiJson.Model> list() {
        return models.list().stream().map(ApiJson.Model::of).toList();
    }
}

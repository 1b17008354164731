package studio.grounding.model.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import java.util.List;

/**
 * Fills a model version field and, while there is no model version at all, says how to get one (issue 14: the
 * empty lists on /models, /prefill and /training gave no hint).
 */
public final class ModelVersionChoice {

    /** How a model version comes to exist: the platform registers one, there is no form for it. */
    public static final String HOW_TO_GET_ONE = "No model version yet. One is registered when you import GLaMM"
            + " predictions (./studio import predictions --dataset NAME --model NAME --dir DIR), import annotations"
            + " with --prefill-model NAME, or when a training run on /training finishes.";

    private ModelVersionChoice() {
    }

    /** Sets the choices; with none, the field's helper text explains how to get a model version. */
    public static <T> void fill(ComboBox<T> field, List<T> versions) {
        field.setItems(versions);
        field.setHelperText(versions.isEmpty() ? HOW_TO_GET_ONE : null);
        field.getElement().setAttribute("data-empty", String.valueOf(versions.isEmpty()));
    }
}

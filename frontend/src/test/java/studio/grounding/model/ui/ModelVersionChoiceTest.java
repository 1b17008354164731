package studio.grounding.model.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.combobox.ComboBox;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An empty model version field says how to get a model version; a filled one says nothing. */
class ModelVersionChoiceTest {

    @Test
    void anEmptyListExplainsHowToGetAModelVersion() {
        ComboBox<String> field = new ComboBox<>("Model version");
        ModelVersionChoice.fill(field, List.of());
        assertThat(field.getHelperText()).contains("./studio import predictions").contains("--model")
                .contains("--prefill-model").contains("/training");
        assertThat(field.getElement().getAttribute("data-empty")).isEqualTo("true");

        ModelVersionChoice.fill(field, List.of("glamm-base"));
        assertThat(field.getHelperText()).isNullOrEmpty();
        assertThat(field.getListDataView().getItems()).containsExactly("glamm-base");
        assertThat(field.getElement().getAttribute("data-empty")).isEqualTo("false");
    }
}

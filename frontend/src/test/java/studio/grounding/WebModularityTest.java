package studio.grounding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The feature boundaries hold with the UI packages too: views in {@code <feature>.ui} use other features
 * only through their public API, and the UI adds no cycles between features (the shell in {@code web}
 * depends on {@code security}, never the other way round). The backend's own rules are the backend's
 * {@code ModularityTest}; this one looks at what the web module adds.
 */
class WebModularityTest {

    @Test
    void theUiKeepsTheFeatureBoundaries() {
        ApplicationModules modules = ApplicationModules.of(GroundingStudioApplication.class);
        assertThat(modules.getModuleByName("web")).isPresent();

        List<String> uiViolations = modules.detectViolations().getMessages().stream()
                .filter(message -> message.contains(".ui.") || message.contains("studio.grounding.web")
                        || message.matches("(?s).*\\bweb\\b.*"))
                .toList();
        assertThat(uiViolations).isEmpty();
    }
}

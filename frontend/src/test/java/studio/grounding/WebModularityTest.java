package studio.grounding;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The feature boundaries hold with the UI packages too: views in {@code <feature>.ui} use other features
 * only through their public API, and the UI adds no cycles between features (the shell in {@code web}
 * depends on {@code security}, never the other way round). The backend's own rules are the backend's
 * {@code ModularityTest}; this one looks at what the web module adds. Only production classes count: the backend's
 * test harness (its test-jar, on this module's test class path) is not part of the application.
 */
class WebModularityTest {

    /** Classes loaded from a test-classes folder or a {@code -tests.jar}: test code, not the application. */
    private static final DescribedPredicate<JavaClass> TEST_CODE = DescribedPredicate.describe("test code",
            type -> type.getSource().map(source -> {
                String uri = source.getUri().toString();
                return uri.contains("/test-classes/") || uri.contains("-tests.jar");
            }).orElse(false));

    @Test
    void theUiKeepsTheFeatureBoundaries() {
        ApplicationModules modules = ApplicationModules.of(GroundingStudioApplication.class, TEST_CODE);
        assertThat(modules.getModuleByName("web")).isPresent();

        List<String> uiViolations = modules.detectViolations().getMessages().stream()
                .filter(message -> message.contains(".ui.") || message.contains("studio.grounding.web")
                        || message.matches("(?s).*\\bweb\\b.*"))
                .toList();
        assertThat(uiViolations).isEmpty();
    }
}

package studio.grounding.platform;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the {@link PackagedPlatform} of this test run as a parameter ({@code @BeforeAll} methods included).
 * The jar starts on first use and is shared by every test class of the run (it starts slowly); it is kept in the
 * root context's store, which closes it when the run ends, whatever its outcome.
 */
public final class PackagedPlatformExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PackagedPlatform.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PackagedPlatform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(PackagedPlatform.class, key -> PackagedPlatform.start(), PackagedPlatform.class);
    }
}

package studio.grounding.web.ui;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Makes the running test's application context own {@link SecurityContextHolder}'s global strategy again before each
 * test. Vaadin installs its own strategy as the global one when a context starts, so once a second application
 * context has started in the same JVM (one with a real port, say), the first context's views — which read the global
 * holder through Vaadin's {@code AuthenticationContext} — no longer saw the user that {@code @WithMockUser} put into
 * that context's strategy, and navigated to the login page. Runs before Spring Security's
 * {@code WithSecurityContextTestExecutionListener} (order 10000).
 */
public final class ContextSecurityStrategyListener implements TestExecutionListener, Ordered {

    @Override
    public int getOrder() {
        return 9_000;
    }

    @Override
    public void beforeTestClass(TestContext testContext) {
        useStrategyOf(testContext);
    }

    @Override
    public void prepareTestInstance(TestContext testContext) {
        useStrategyOf(testContext);
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        useStrategyOf(testContext);
    }

    private static void useStrategyOf(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        ApplicationContext context = testContext.getApplicationContext();
        context.getBeanProvider(SecurityContextHolderStrategy.class).ifUnique(SecurityContextHolder::setContextHolderStrategy);
    }
}

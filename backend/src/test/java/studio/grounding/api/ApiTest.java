package studio.grounding.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestInstance;
import org.springframework.test.context.TestPropertySource;
import studio.grounding.StudioIntegrationTest;

/**
 * An API test on the whole backend and a real embedded PostgreSQL. Its own application context (and database),
 * so the revisions these tests write never meet tests that count rows of the whole database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@StudioIntegrationTest
@TestPropertySource(properties = "studio.test-context=api")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@interface ApiTest {
}

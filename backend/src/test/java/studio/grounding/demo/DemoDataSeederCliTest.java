package studio.grounding.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.dataset.DatasetService;

/** A CLI run (no web server) never seeds, even with the demo enabled. */
@StudioIntegrationTest
@TestPropertySource(properties = {"studio.demo.enabled=true", "spring.main.web-application-type=none"})
class DemoDataSeederCliTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    DatasetService datasets;

    @Test
    void doesNotSeedWithoutAWebServer() {
        assertThat(context.getBeanNamesForType(DemoDataSeeder.class)).isEmpty();
        assertThat(datasets.list()).isEmpty();
    }
}

package studio.grounding.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ImageStore;

/** A seed that fails half-way keeps nothing, so the next start seeds the whole demo. */
@StudioIntegrationTest
@TestPropertySource(properties = {"studio.demo.enabled=false", "studio.test.context=demo-rollback"})
class DemoDataSeederRollbackTest {

    @Autowired
    DatasetService datasets;
    @Autowired
    ImageStore imageStore;
    @Autowired
    RevisionService revisions;
    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aCrashMidSeedLeavesNoHalfDatasetAndTheNextStartCompletesIt() {
        AtomicInteger appended = new AtomicInteger();
        RevisionService crashing = mock(RevisionService.class);
        when(crashing.append(any())).thenAnswer(call -> {
            if (appended.incrementAndGet() > 4) {
                throw new IllegalStateException("simulated crash");
            }
            return revisions.append(call.getArgument(0, NewRevision.class));
        });

        assertThat(datasets.list()).isEmpty();
        assertThatThrownBy(() -> new DemoDataSeeder(datasets, imageStore, crashing, transactionManager).seedIfEmpty())
                .hasMessage("simulated crash");
        assertThat(datasets.list()).isEmpty();

        assertThat(new DemoDataSeeder(datasets, imageStore, revisions, transactionManager).seedIfEmpty()).isTrue();
        assertThat(datasets.countItems(datasets.require(DemoDataSeeder.DATASET).id(), List.of())).isEqualTo(8);
    }
}

package studio.grounding.prefill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.annotation.Draft;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;

/**
 * A pre-fill result and an annotator's first draft of the same item, started together from a barrier, many times on
 * the real PostgreSQL: whichever commits first, the human work wins — the item ends IN_PROGRESS with the draft, and
 * a model revision is only there when it came before the draft (it never moves the item back to PREFILLED nor
 * becomes the latest revision after the draft). Same context as {@link PrefillServiceTest}.
 */
@StudioIntegrationTest
@TestPropertySource(properties = {"studio.test-context=prefill", "studio.prefill.max-attempts=3"})
class PrefillDraftRaceTest {

    static final int ROUNDS = 40;
    static final String DRAFT = "{\"caption\":\"My own words.\",\"phrases\":[],\"unlinkedMasks\":[],\"accepted\":[]}";

    @Autowired
    PrefillService prefill;
    @Autowired
    EditingService editing;
    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    ModelVersionService models;
    @Autowired
    JdbcClient jdbc;

    ModelVersion model;

    @BeforeEach
    void emptyQueue() {
        jdbc.sql("update prefill_jobs set status = 'CANCELLED', lease_token = null, lease_expires_at = null "
                + "where status in ('QUEUED', 'RUNNING')").update();
        model = models.getOrCreate("glamm-race");
    }

    @Test
    void aPrefillResultNeverOverridesAnAnnotatorsFirstDraft() throws Exception {
        DatasetSummary ds = datasets.getOrCreate("race-" + System.nanoTime(), "test");
        for (int i = 0; i < ROUNDS; i++) {
            StoredImage stored = new StoredImage("%064x".formatted(System.nanoTime()), 100, "image/png",
                    PrefillServiceTest.W, PrefillServiceTest.H);
            datasets.ensureItem(datasets.addImage(ds.id(), "race-" + i + ".png", stored, "test", Split.TRAIN));
        }
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        Map<Long, ClaimedJob> jobs = prefill.claim("worker-race", ROUNDS, Duration.ofMinutes(5)).stream()
                .collect(Collectors.toMap(ClaimedJob::itemId, Function.identity()));
        assertThat(jobs).hasSize(ROUNDS);
        String annotator = "annotator-race";
        Map<JobStatus, Integer> outcomes = new EnumMap<>(JobStatus.class);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (ItemInfo item : datasets.items(ds.id(), List.of(), 0, ROUNDS)) {
                ClaimedJob job = jobs.get(item.id());
                CyclicBarrier start = new CyclicBarrier(2);
                Future<JobOutcome> machine = pool.submit(() -> {
                    start.await();
                    return prefill.complete(job.jobId(), "worker-race", job.leaseToken(), PrefillServiceTest.dogResult());
                });
                Future<?> human = pool.submit(() -> {
                    start.await();
                    return editing.saveDraft(item.id(), annotator, null, DRAFT);
                });
                human.get();
                JobOutcome outcome = machine.get();
                outcomes.merge(outcome.status(), 1, Integer::sum);

                ItemInfo after = datasets.item(item.id()).orElseThrow();
                assertThat(after.status()).as("item #%d after a %s pre-fill", item.id(), outcome.status())
                        .isEqualTo(ItemStatus.IN_PROGRESS);
                Draft draft = editing.draft(item.id(), annotator).orElseThrow();
                assertThat(draft.documentJson()).contains("My own words.");
                if (outcome.status() == JobStatus.SKIPPED) {
                    assertThat(after.latestRevisionId()).as("a skipped pre-fill stores nothing").isNull();
                    assertThat(revisions.latest(item.id(), Origin.MODEL)).isEmpty();
                } else {
                    // the pre-fill came first: it is the revision the annotator's next open starts from
                    assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
                    assertThat(after.latestRevisionId()).isEqualTo(outcome.revisionId());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(ROUNDS);
    }
}

package studio.grounding.prefill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;

/** The pre-fill queue on the real (embedded) PostgreSQL: leases, retries, idempotency, concurrency. */
@StudioIntegrationTest
@TestPropertySource(properties = {"studio.test-context=prefill", "studio.prefill.max-attempts=3"})
class PrefillServiceTest {

    static final int H = 6;
    static final int W = 8;

    @Autowired
    PrefillService prefill;
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
        // tests claim whatever is queued: start each from an empty queue
        jdbc.sql("update prefill_jobs set status = 'CANCELLED', lease_token = null, lease_expires_at = null "
                + "where status in ('QUEUED', 'RUNNING')").update();
        model = models.getOrCreate("glamm-test");
    }

    @Test
    void queueClaimCompleteStoresAModelRevisionAndPrefillsTheItem() {
        DatasetSummary ds = dataset("basic");
        ItemInfo item = item(ds, "a.png");
        item(ds, "b.png");
        QueuedPrefill queued = prefill.queue(ds.id(), model.id(), null, "curator", 0);
        assertThat(queued.selected()).isEqualTo(2);
        assertThat(queued.queued()).isEqualTo(2);
        assertThat(prefill.queue(ds.id(), model.id(), null, "curator", 0).queued()).as("already queued").isZero();

        List<ClaimedJob> jobs = prefill.claim("worker-1", 1, Duration.ofMinutes(1));
        assertThat(jobs).hasSize(1);
        ClaimedJob job = jobs.getFirst();
        assertThat(job.itemId()).isEqualTo(item.id());
        assertThat(job.imageHash()).isEqualTo(item.image().contentHash());
        assertThat(job.imageWidth()).isEqualTo(W);
        assertThat(job.imageHeight()).isEqualTo(H);
        assertThat(job.modelVersionName()).isEqualTo("glamm-test");
        assertThat(job.attempt()).isEqualTo(1);

        JobOutcome outcome = prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult());
        assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(outcome.replay()).isFalse();
        Revision stored = revisions.latest(item.id()).orElseThrow();
        assertThat(stored.id()).isEqualTo(outcome.revisionId());
        assertThat(stored.origin()).isEqualTo(Origin.MODEL);
        assertThat(stored.modelVersionId()).isEqualTo(model.id());
        assertThat(stored.author()).isEqualTo("worker-1");
        assertThat(stored.caption().caption()).isEqualTo("A dog on grass.");
        assertThat(stored.caption().phrases()).extracting(PhraseSpan::text).containsExactly("A dog", "grass");
        assertThat(stored.caption().phrases().getFirst().masks()).hasSize(1);
        assertThat(jdbc.sql("select timings->>'generate' from caption_revisions where id = :id")
                .param("id", stored.id()).query(String.class).single()).isEqualTo("120.5");
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.PREFILLED);
        assertThat(prefill.job(job.jobId()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(prefill.job(job.jobId()).revisionId()).isEqualTo(stored.id());
    }

    @Test
    void submittingTheSameResultTwiceStoresItOnce() {
        DatasetSummary ds = dataset("twice");
        ItemInfo item = item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        ClaimedJob job = prefill.claim("worker-1", 5, Duration.ofMinutes(1)).getFirst();
        JobOutcome first = prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult());
        JobOutcome second = prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult());
        assertThat(second.replay()).isTrue();
        assertThat(second.revisionId()).isEqualTo(first.revisionId());
        assertThat(second.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(revisions.history(item.id())).hasSize(1);

        // queued again later with the same model and the same output: nothing new is stored
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        ClaimedJob again = prefill.claim("worker-2", 5, Duration.ofMinutes(1)).getFirst();
        JobOutcome unchanged = prefill.complete(again.jobId(), again.worker(), again.leaseToken(), dogResult());
        assertThat(unchanged.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(unchanged.revisionId()).isEqualTo(first.revisionId());
        assertThat(unchanged.note()).contains("already has this content");
        assertThat(revisions.history(item.id())).hasSize(1);
    }

    @Test
    void onlyTheWorkerAccountThatClaimedAJobMayRenewCompleteFailOrReleaseIt() {
        DatasetSummary ds = dataset("owner");
        ItemInfo item = item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        ClaimedJob job = prefill.claim("worker-a/gpu0", 1, Duration.ofMinutes(1)).getFirst();
        assertThat(job.worker()).isEqualTo("worker-a/gpu0");
        JobInfo before = prefill.job(job.jobId());

        // another worker account that learnt the job id and its lease token: refused, nothing changes
        assertThatThrownBy(() -> prefill.complete(job.jobId(), "worker-b", job.leaseToken(), dogResult()))
                .isInstanceOf(LeaseLostException.class).hasMessageContaining("another worker account");
        assertThatThrownBy(() -> prefill.renew(job.jobId(), "worker-b/gpu0", job.leaseToken(), Duration.ofMinutes(10)))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> prefill.fail(job.jobId(), "worker-b", job.leaseToken(), "sabotage"))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> prefill.release(job.jobId(), "worker-b", job.leaseToken(), "sabotage"))
                .isInstanceOf(LeaseLostException.class);
        JobInfo after = prefill.job(job.jobId());
        assertThat(after.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(after.attempts()).isEqualTo(before.attempts());
        assertThat(after.worker()).isEqualTo("worker-a/gpu0");
        assertThat(after.leaseExpiresAt()).isEqualTo(before.leaseExpiresAt());
        assertThat(after.lastError()).isNull();
        assertThat(revisions.history(item.id())).isEmpty();

        // the claiming account (any of its instances) still holds it
        assertThat(prefill.renew(job.jobId(), "worker-a/gpu1", job.leaseToken(), Duration.ofMinutes(2)))
                .isAfter(before.leaseExpiresAt());
        assertThat(prefill.complete(job.jobId(), "worker-a", job.leaseToken(), dogResult()).status())
                .isEqualTo(JobStatus.SUCCEEDED);
        assertThatThrownBy(() -> prefill.complete(job.jobId(), "worker-b", job.leaseToken(), dogResult()))
                .as("no replay of the outcome for another account").isInstanceOf(LeaseLostException.class);
        assertThat(revisions.history(item.id())).hasSize(1);
    }

    @Test
    void anExpiredLeaseRefusesAResultEvenBeforeTheJobIsRequeued() {
        DatasetSummary ds = dataset("expired");
        ItemInfo item = item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        ClaimedJob job = prefill.claim("worker-slow", 1, Duration.ofSeconds(30)).getFirst();
        expireLeases(); // no claim since: the job is still RUNNING under this lease token

        assertThatThrownBy(() -> prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult()))
                .isInstanceOf(LeaseLostException.class).hasMessageContaining("ran out");
        assertThatThrownBy(() -> prefill.renew(job.jobId(), job.worker(), job.leaseToken(), Duration.ofMinutes(1)))
                .isInstanceOf(LeaseLostException.class);
        assertThat(prefill.job(job.jobId()).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(revisions.history(item.id())).isEmpty();
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.NEW);

        ClaimedJob again = prefill.claim("worker-fast", 1, Duration.ofMinutes(1)).getFirst();
        assertThat(again.jobId()).isEqualTo(job.jobId());
        assertThat(prefill.complete(again.jobId(), again.worker(), again.leaseToken(), dogResult()).status())
                .isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void anExpiredLeaseIsReclaimedAndTheStaleWorkerIsRefused() {
        DatasetSummary ds = dataset("lease");
        ItemInfo item = item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        ClaimedJob stale = prefill.claim("worker-killed", 1, Duration.ofSeconds(30)).getFirst();
        OffsetDateTimeAssert.renewed(prefill.renew(stale.jobId(), stale.worker(), stale.leaseToken(), Duration.ofSeconds(60)), stale);
        assertThat(prefill.claim("worker-2", 1, Duration.ofMinutes(1))).as("leased: nothing to claim").isEmpty();

        expireLeases();
        ClaimedJob fresh = prefill.claim("worker-2", 1, Duration.ofMinutes(1)).getFirst();
        assertThat(fresh.jobId()).isEqualTo(stale.jobId());
        assertThat(fresh.attempt()).isEqualTo(2);
        assertThat(fresh.leaseToken()).isNotEqualTo(stale.leaseToken());

        assertThatThrownBy(() -> prefill.complete(stale.jobId(), stale.worker(), stale.leaseToken(), dogResult()))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> prefill.renew(stale.jobId(), stale.worker(), stale.leaseToken(), Duration.ofMinutes(1)))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> prefill.fail(stale.jobId(), stale.worker(), stale.leaseToken(), "late"))
                .isInstanceOf(LeaseLostException.class);
        assertThat(revisions.history(item.id())).isEmpty();

        assertThat(prefill.complete(fresh.jobId(), fresh.worker(), fresh.leaseToken(), dogResult()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThatThrownBy(() -> prefill.complete(stale.jobId(), stale.worker(), stale.leaseToken(), dogResult()))
                .as("still refused after the job finished").isInstanceOf(LeaseLostException.class);
        assertThat(revisions.history(item.id())).hasSize(1);
        assertThat(revisions.latest(item.id()).orElseThrow().author()).isEqualTo("worker-2");
    }

    @Test
    void aJobThatFailsMaxAttemptsTimesIsParkedWithItsErrorAndCanBeRetried() {
        DatasetSummary ds = dataset("fail");
        item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        long jobId = 0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            ClaimedJob job = prefill.claim("worker-1", 1, Duration.ofMinutes(1)).getFirst();
            jobId = job.jobId();
            assertThat(job.attempt()).isEqualTo(attempt);
            JobStatus next = prefill.fail(job.jobId(), job.worker(), job.leaseToken(), "CUDA out of memory #" + attempt);
            assertThat(next).isEqualTo(attempt < 3 ? JobStatus.QUEUED : JobStatus.FAILED);
        }
        assertThat(prefill.claim("worker-1", 1, Duration.ofMinutes(1))).isEmpty();
        JobInfo parked = prefill.job(jobId);
        assertThat(parked.status()).isEqualTo(JobStatus.FAILED);
        assertThat(parked.lastError()).contains("CUDA out of memory #3").contains("attempt 3 of 3");
        PrefillStats stats = prefill.stats();
        assertThat(stats.failed()).extracting(JobInfo::id).contains(jobId);
        assertThat(stats.byStatus().get(JobStatus.FAILED)).isPositive();

        long parkedId = jobId;
        assertThat(prefill.retry(parkedId).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(prefill.job(parkedId).attempts()).isZero();
        ClaimedJob retried = prefill.claim("w", 1, Duration.ofMinutes(1)).getFirst();
        assertThat(retried.jobId()).isEqualTo(parkedId);
        assertThatThrownBy(() -> prefill.retry(parkedId)).isInstanceOf(IllegalStateException.class);
        assertThat(prefill.cancel(parkedId).status()).isEqualTo(JobStatus.CANCELLED);
        assertThatThrownBy(() -> prefill.cancel(parkedId)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aJobHandedBackOnShutdownIsRequeuedWithoutCountingAnAttempt() {
        DatasetSummary ds = dataset("handback");
        item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        // more hand-backs than max-attempts (3): a worker that restarts again and again never parks a job
        for (int i = 0; i < 5; i++) {
            ClaimedJob job = prefill.claim("worker-" + i, 1, Duration.ofMinutes(1)).getFirst();
            assertThat(job.attempt()).as("hand-back %d", i).isEqualTo(1);
            assertThat(prefill.release(job.jobId(), job.worker(), job.leaseToken(), "worker shutting down")).isEqualTo(JobStatus.QUEUED);
            JobInfo back = prefill.job(job.jobId());
            assertThat(back.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(back.attempts()).isZero();
            assertThat(back.worker()).isNull();
            assertThat(back.leaseExpiresAt()).isNull();
            assertThat(back.note()).contains("handed back by worker-" + i).contains("worker shutting down");
            // the released lease token is dead: no result, no renewal, no second release
            assertThatThrownBy(() -> prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult()))
                    .isInstanceOf(LeaseLostException.class);
            assertThatThrownBy(() -> prefill.release(job.jobId(), job.worker(), job.leaseToken(), "again"))
                    .isInstanceOf(LeaseLostException.class);
        }
        // a real failure after all that still counts as attempt 1 of 3
        ClaimedJob job = prefill.claim("worker-x", 1, Duration.ofMinutes(1)).getFirst();
        assertThat(prefill.fail(job.jobId(), job.worker(), job.leaseToken(), "boom")).isEqualTo(JobStatus.QUEUED);
        assertThat(prefill.job(job.jobId()).lastError()).contains("attempt 1 of 3");
    }

    @Test
    void curatorViewsPerDatasetPerStatusAndPerModelWithStageTimes() {
        ModelVersion own = models.getOrCreate("glamm-stats-" + System.nanoTime());
        DatasetSummary ds = dataset("views");
        DatasetSummary other = dataset("views-other");
        for (String f : List.of("a.png", "b.png", "c.png", "d.png")) {
            item(ds, f);
        }
        item(other, "z.png");
        prefill.queue(ds.id(), own.id(), null, "curator", 0);
        prefill.queue(other.id(), own.id(), null, "curator", 0);

        List<ClaimedJob> claimed = prefill.claim("worker-v", 2, Duration.ofMinutes(1));
        assertThat(claimed).hasSize(2);
        prefill.complete(claimed.get(0).jobId(), claimed.get(0).worker(), claimed.get(0).leaseToken(), dogResult());   // timings: generate 120.5
        long queuedId = prefill.jobs(JobStatus.QUEUED, ds.id(), 10).getFirst().id();
        prefill.cancel(queuedId);

        DatasetQueue q = prefill.datasetQueues().stream().filter(d -> d.datasetId() == ds.id()).findFirst().orElseThrow();
        assertThat(q.datasetName()).isEqualTo(ds.name());
        assertThat(q.count(JobStatus.SUCCEEDED)).isEqualTo(1);
        assertThat(q.count(JobStatus.RUNNING)).isEqualTo(1);
        assertThat(q.count(JobStatus.QUEUED)).isEqualTo(1);
        assertThat(q.count(JobStatus.CANCELLED)).isEqualTo(1);
        assertThat(q.count(JobStatus.FAILED)).isZero();
        assertThat(prefill.datasetQueues()).filteredOn(d -> d.datasetId() == other.id()).singleElement()
                .satisfies(d -> assertThat(d.count(JobStatus.QUEUED)).isEqualTo(1));

        assertThat(prefill.jobs(JobStatus.RUNNING, ds.id(), 10)).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(claimed.get(1).jobId());
            assertThat(j.worker()).isEqualTo("worker-v");
            assertThat(j.leaseExpiresAt()).isNotNull();
        });
        assertThat(prefill.jobs(JobStatus.QUEUED, ds.id(), 10)).hasSize(1);
        assertThat(prefill.jobs(JobStatus.QUEUED, null, 1000)).extracting(JobInfo::itemId).hasSizeGreaterThanOrEqualTo(2);
        assertThat(prefill.jobs(JobStatus.CANCELLED, ds.id(), 10)).extracting(JobInfo::id).containsExactly(queuedId);

        PrefillStats.ModelStats m = prefill.stats().perModel().stream().filter(x -> x.modelVersionId() == own.id())
                .findFirst().orElseThrow();
        assertThat(m.finishedLastHour()).isEqualTo(1);
        assertThat(m.perMinuteLastHour()).isEqualTo(1 / 60.0);
        assertThat(m.meanStageMillis()).containsEntry("generate", 120.5).containsEntry("decode", 3.0);
        assertThat(m.byStatus().get(JobStatus.QUEUED)).isEqualTo(2);
    }

    @Test
    void leasesRunningOutCountAsAttemptsToo() {
        DatasetSummary ds = dataset("killed");
        item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        long jobId = 0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            jobId = prefill.claim("worker-" + attempt, 1, Duration.ofMinutes(1)).getFirst().jobId();
            expireLeases();
        }
        assertThat(prefill.claim("worker-4", 1, Duration.ofMinutes(1))).isEmpty();
        JobInfo parked = prefill.job(jobId);
        assertThat(parked.status()).isEqualTo(JobStatus.FAILED);
        assertThat(parked.lastError()).contains("lease of worker worker-3 ran out");
    }

    @Test
    void aCancelledJobsWorkerIsRefused() {
        DatasetSummary ds = dataset("cancel");
        ItemInfo item = item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        ClaimedJob job = prefill.claim("worker-1", 1, Duration.ofMinutes(1)).getFirst();
        prefill.cancel(job.jobId());
        assertThatThrownBy(() -> prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult()))
                .isInstanceOf(LeaseLostException.class);
        assertThat(revisions.history(item.id())).isEmpty();
    }

    @Test
    void humanWorkIsNeverOverwritten() {
        DatasetSummary ds = dataset("human");
        ItemInfo edited = item(ds, "edited.png");
        ItemInfo later = item(ds, "later.png");
        revisions.append(new NewRevision(edited.id(), null, new GroundedCaption("A cat.", List.of()), Origin.HUMAN,
                "annotator", null, null, List.of(), null, H, W));
        QueuedPrefill queued = prefill.queue(ds.id(), model.id(), null, "curator", 0);
        assertThat(queued.selected()).isEqualTo(2);
        assertThat(queued.queued()).as("the edited item is not queued").isEqualTo(1);

        ClaimedJob job = prefill.claim("worker-1", 1, Duration.ofMinutes(1)).getFirst();
        assertThat(job.itemId()).isEqualTo(later.id());
        // an annotator saves while the worker runs
        Revision human = revisions.append(new NewRevision(later.id(), null, new GroundedCaption("A horse.", List.of()),
                Origin.HUMAN, "annotator", null, null, List.of(), null, H, W));
        JobOutcome outcome = prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult());
        assertThat(outcome.status()).isEqualTo(JobStatus.SKIPPED);
        assertThat(outcome.revisionId()).isNull();
        assertThat(outcome.note()).contains("human edits");
        assertThat(revisions.latest(later.id()).orElseThrow().id()).isEqualTo(human.id());
        assertThat(revisions.history(later.id())).hasSize(1);
        assertThat(prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult()).replay()).isTrue();
    }

    @Test
    void aMalformedResultIsRefusedWithEveryProblemAndNothingIsStored() {
        DatasetSummary ds = dataset("bad");
        ItemInfo item = item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        ClaimedJob job = prefill.claim("worker-1", 1, Duration.ofMinutes(1)).getFirst();
        PrefillResult bad = new PrefillResult("A dog on grass.",
                List.of(new PrefillResult.Phrase("A dog", 0, 4), new PrefillResult.Phrase("grass", null, null)),
                List.of(new PrefillResult.Mask(H + 1, W, box(0, 0, 1, 1).counts()),
                        new PrefillResult.Mask(H, W, "not rle!")),
                List.of(0.9), Map.of("generate", -1.0));
        assertThatThrownBy(() -> prefill.complete(job.jobId(), job.worker(), job.leaseToken(), bad))
                .isInstanceOf(InvalidPrefillResultException.class)
                .satisfies(e -> assertThat(((InvalidPrefillResultException) e).problems()).hasSize(5))
                .hasMessageContaining("phrases[0]").hasMessageContaining("masks[0].size")
                .hasMessageContaining("masks[1].counts").hasMessageContaining("scores")
                .hasMessageContaining("timings.generate");
        assertThat(revisions.history(item.id())).isEmpty();
        assertThat(prefill.job(job.jobId()).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult()).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void phrasesAreLocatedAndMismatchesKeptVisible() {
        DatasetSummary ds = dataset("pairing");
        ItemInfo item = item(ds, "a.png");
        prefill.queue(ds.id(), model.id(), null, "curator", 0);
        ClaimedJob job = prefill.claim("worker-1", 1, Duration.ofMinutes(1)).getFirst();
        PrefillResult result = new PrefillResult("A man and a woman near a man.",
                List.of(new PrefillResult.Phrase("a woman", null, null), new PrefillResult.Phrase("man", null, null),
                        new PrefillResult.Phrase("unicorn", null, null)),
                List.of(box(0, 0, 1, 1), box(1, 1, 1, 1), box(2, 2, 1, 1), box(3, 3, 1, 1)).stream()
                        .map(m -> new PrefillResult.Mask(H, W, m.counts())).toList(),
                null, null);
        JobOutcome outcome = prefill.complete(job.jobId(), job.worker(), job.leaseToken(), result);
        assertThat(outcome.warnings()).anyMatch(w -> w.contains("3 phrase(s) but 4 mask(s)"))
                .anyMatch(w -> w.contains("\"unicorn\" not found"));
        GroundedCaption stored = revisions.latest(item.id()).orElseThrow().caption();
        assertThat(stored.phrases()).extracting(PhraseSpan::start).containsExactly(2, 10);
        assertThat(stored.phrases()).extracting(PhraseSpan::text).containsExactly("man", "a woman");
        assertThat(stored.unlinkedMasks()).hasSize(2);
        assertThat(revisions.latest(item.id()).orElseThrow().warnings()).hasSize(2);
    }

    @Test
    void concurrentWorkersNeverGetTheSameJobAndEveryJobCompletesOnce() throws Exception {
        DatasetSummary ds = dataset("concurrent");
        List<Long> itemIds = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            itemIds.add(item(ds, "img-" + i + ".png").id());
        }
        assertThat(prefill.queue(ds.id(), model.id(), null, "curator", 0).queued()).isEqualTo(500);
        int threads = 16;
        Set<Long> claimed = ConcurrentHashMap.newKeySet();
        AtomicInteger doubleClaims = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String worker = "worker-" + t;
            futures.add(pool.submit(() -> {
                start.await();
                while (true) {
                    List<ClaimedJob> jobs = prefill.claim(worker, 3, Duration.ofMinutes(5));
                    if (jobs.isEmpty()) {
                        return null;
                    }
                    for (ClaimedJob job : jobs) {
                        if (!claimed.add(job.jobId())) {
                            doubleClaims.incrementAndGet();
                        }
                        prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult());
                        completed.incrementAndGet();
                    }
                }
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(doubleClaims).hasValue(0);
        assertThat(claimed).hasSize(500);
        assertThat(completed).hasValue(500);
        assertThat(jdbc.sql("""
                        select count(*) from caption_revisions r join items it on it.id = r.item_id
                        where it.dataset_id = :ds and r.origin = 'model'""")
                .param("ds", ds.id()).query(Long.class).single()).isEqualTo(500);
        assertThat(jdbc.sql("select count(distinct item_id) from prefill_jobs j join items it on it.id = j.item_id "
                        + "where it.dataset_id = :ds and j.status = 'SUCCEEDED'")
                .param("ds", ds.id()).query(Long.class).single()).isEqualTo(500);
        assertThat(datasets.countItems(ds.id(), List.of(ItemStatus.PREFILLED))).isEqualTo(500);
    }

    @Test
    void evaluationJobsPredictOnAcceptedTestItemsWithoutTouchingThem() {
        DatasetSummary ds = dataset("evaluation");
        ItemInfo accepted = item(ds, "accepted.png", Split.TEST);
        ItemInfo open = item(ds, "open.png", Split.TEST);
        ItemInfo train = item(ds, "train.png", Split.TRAIN);
        Revision human = revisions.append(new NewRevision(accepted.id(), null, new GroundedCaption("A cat.", List.of()),
                Origin.HUMAN, "annotator", null, null, List.of(), null, H, W));
        datasets.setStatus(accepted.id(), ItemStatus.ACCEPTED);

        assertThat(prefill.queue(ds.id(), model.id(), List.of(accepted.id()), "curator", 0).queued())
                .as("a pre-fill job is never queued for human work").isZero();
        QueuedPrefill queued = prefill.queue(ds.id(), model.id(), null, "curator", 0, JobPurpose.EVALUATION);
        assertThat(queued.queued()).as("every test item, the accepted one included; not the train item").isEqualTo(2);
        assertThat(prefill.queue(ds.id(), model.id(), null, "curator", 0, JobPurpose.EVALUATION).queued())
                .as("already queued").isZero();

        List<ClaimedJob> jobs = prefill.claim("worker-1", 10, Duration.ofMinutes(1));
        assertThat(jobs).extracting(ClaimedJob::itemId).containsExactlyInAnyOrder(accepted.id(), open.id());
        for (ClaimedJob job : jobs) {
            assertThat(prefill.purposeOf(job.jobId())).isEqualTo(JobPurpose.EVALUATION);
            JobOutcome outcome = prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult());
            assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(outcome.revisionId()).isNull();
            assertThat(outcome.note()).contains("evaluation prediction");
            assertThat(prefill.complete(job.jobId(), job.worker(), job.leaseToken(), dogResult()).replay()).isTrue();
        }

        // the items are untouched: no revision, same status, same history
        assertThat(revisions.latest(accepted.id()).orElseThrow().id()).isEqualTo(human.id());
        assertThat(revisions.history(accepted.id())).hasSize(1);
        assertThat(datasets.item(accepted.id()).orElseThrow().status()).isEqualTo(ItemStatus.ACCEPTED);
        assertThat(revisions.latest(open.id())).isEmpty();
        assertThat(datasets.item(open.id()).orElseThrow().status()).isEqualTo(ItemStatus.NEW);
        // ... and the predictions are stored per model version and item
        assertThat(predictedCaption(accepted.id())).isEqualTo("A dog on grass.");
        assertThat(predictedCaption(open.id())).isEqualTo("A dog on grass.");
        assertThat(jdbc.sql("select jsonb_array_length(document->'phrases') from evaluation_predictions "
                + "where item_id = :item").param("item", accepted.id()).query(Integer.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("select timings->>'generate' from evaluation_predictions where item_id = :item")
                .param("item", accepted.id()).query(String.class).single()).isEqualTo("120.5");
        assertThat(predictedCaption(train.id())).isNull();

        // a later evaluation job for the same item replaces the prediction (newest wins)
        prefill.queue(ds.id(), model.id(), List.of(accepted.id()), "curator", 0, JobPurpose.EVALUATION);
        ClaimedJob again = prefill.claim("worker-2", 10, Duration.ofMinutes(1)).getFirst();
        prefill.complete(again.jobId(), again.worker(), again.leaseToken(), new PrefillResult("A dog.",
                List.of(new PrefillResult.Phrase("A dog", 0, 5)),
                List.of(new PrefillResult.Mask(H, W, box(1, 1, 2, 2).counts())), null, null));
        assertThat(predictedCaption(accepted.id())).isEqualTo("A dog.");
        assertThat(jdbc.sql("select count(*) from evaluation_predictions where item_id = :item")
                .param("item", accepted.id()).query(Integer.class).single()).isEqualTo(1);
        assertThat(revisions.history(accepted.id())).hasSize(1);
    }

    @Test
    void anEvaluationResultIsValidatedLikeAPrefill() {
        DatasetSummary ds = dataset("evaluation-bad");
        ItemInfo item = item(ds, "a.png", Split.TEST);
        prefill.queue(ds.id(), model.id(), null, "curator", 0, JobPurpose.EVALUATION);
        ClaimedJob job = prefill.claim("worker-1", 1, Duration.ofMinutes(1)).getFirst();
        PrefillResult wrongSize = new PrefillResult("A dog.", List.of(new PrefillResult.Phrase("A dog", 0, 5)),
                List.of(new PrefillResult.Mask(H + 1, W, box(1, 1, 2, 2).counts())), null, null);
        assertThatThrownBy(() -> prefill.complete(job.jobId(), job.worker(), job.leaseToken(), wrongSize))
                .isInstanceOf(InvalidPrefillResultException.class);
        assertThat(predictedCaption(item.id())).isNull();
        assertThat(prefill.job(job.jobId()).status()).isEqualTo(JobStatus.RUNNING);
    }

    private String predictedCaption(long itemId) {
        return jdbc.sql("select document->>'caption' from evaluation_predictions where item_id = :item and "
                + "model_version_id = :model").param("item", itemId).param("model", model.id()).query(String.class)
                .optional().orElse(null);
    }

    private void expireLeases() {
        jdbc.sql("update prefill_jobs set lease_expires_at = now() - interval '1 second' where status = 'RUNNING'").update();
    }

    static PrefillResult dogResult() {
        return new PrefillResult("A dog on grass.",
                List.of(new PrefillResult.Phrase("A dog", 0, 5), new PrefillResult.Phrase("grass", null, null)),
                List.of(new PrefillResult.Mask(H, W, box(1, 1, 2, 2).counts()),
                        new PrefillResult.Mask(H, W, box(0, 4, 8, 2).counts())),
                List.of(0.9, 0.8), Map.of("generate", 120.5, "decode", 3.0));
    }

    private DatasetSummary dataset(String name) {
        return datasets.getOrCreate(name + "-" + System.nanoTime(), "test");
    }

    private ItemInfo item(DatasetSummary ds, String fileName) {
        return item(ds, fileName, Split.TRAIN);
    }

    private ItemInfo item(DatasetSummary ds, String fileName, Split split) {
        StoredImage stored = new StoredImage(sha256(ds.name() + "/" + fileName), 100, "image/png", W, H);
        return datasets.ensureItem(datasets.addImage(ds.id(), fileName, stored, "test", split));
    }

    static studio.grounding.annotation.MaskRle box(int x, int y, int w, int h) {
        byte[] bitmap = new byte[H * W];
        for (int cx = x; cx < x + w; cx++) {
            for (int cy = y; cy < y + h; cy++) {
                bitmap[cx * H + cy] = 1;
            }
        }
        return new studio.grounding.annotation.MaskRle(H, W, Rle.encode(bitmap, H, W).toCompressedString());
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class OffsetDateTimeAssert {
        static void renewed(java.time.OffsetDateTime until, ClaimedJob job) {
            assertThat(until).isAfter(job.leaseExpiresAt());
        }
    }
}

package studio.grounding.prefill;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.RevisionSummary;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.model.ModelVersionService;

/**
 * The pre-fill job queue in PostgreSQL: curators queue and manage jobs, inference workers claim them under a lease
 * and complete or fail them. See the package documentation for the guarantees.
 */
@Service
public class PrefillService {

    /** The shortest and longest lease a worker may ask for. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(1);
    public static final Duration MAX_LEASE = Duration.ofMinutes(30);
    /** The most jobs one claim hands out. */
    public static final int MAX_CLAIM = 100;

    private static final String JOB_COLUMNS = """
            id, request_id, item_id, model_version_id, status, attempts, max_attempts, worker, lease_token::text as lease_token,
            lease_expires_at, last_error, note, revision_id, created_at, started_at, finished_at""";

    private final JdbcClient jdbc;
    private final DatasetService datasets;
    private final RevisionService revisions;
    private final ModelVersionService models;
    private final EvaluationPredictions predictions;
    private final WorkerSightings sightings;
    private final int maxAttempts;

    PrefillService(JdbcClient jdbc, DatasetService datasets, RevisionService revisions, ModelVersionService models,
                   EvaluationPredictions predictions, WorkerSightings sightings,
                   @Value("${studio.prefill.max-attempts:3}") int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("studio.prefill.max-attempts must be at least 1");
        }
        this.jdbc = jdbc;
        this.datasets = datasets;
        this.revisions = revisions;
        this.models = models;
        this.predictions = predictions;
        this.sightings = sightings;
        this.maxAttempts = maxAttempts;
    }

    /**
     * The workers heard from within {@code window} (a claim, also an empty one), the most recent first; a worker
     * that holds a live lease counts as seen now. Empty: no worker is connected.
     */
    @Transactional(readOnly = true)
    public List<WorkerSeen> workersSeen(Duration window) {
        Map<String, WorkerSeen> seen = new LinkedHashMap<>();
        sightings.within(window).forEach(w -> seen.put(w.name(), w));
        jdbc.sql("select distinct worker from prefill_jobs where status = 'RUNNING' and lease_expires_at > now()"
                        + " and worker is not null")
                .query(String.class).list()
                .forEach(w -> seen.putIfAbsent(w, new WorkerSeen(w, java.time.Instant.now())));
        return List.copyOf(seen.values());
    }

    /** How many attempts a job gets before it is parked as FAILED. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Queues a pre-fill job per selected item: every item of the dataset, or those of {@code itemIds}. Items with a
     * human revision or beyond PREFILLED (an annotator has taken them up), and items that already have a queued or
     * running job for the model version, are left out.
     *
     * @throws IllegalArgumentException for an unknown model version or an item id not in the dataset
     */
    @Transactional
    public QueuedPrefill queue(long datasetId, long modelVersionId, List<Long> itemIds, String requestedBy, int priority) {
        return queue(datasetId, modelVersionId, itemIds, requestedBy, priority, JobPurpose.PREFILL);
    }

    /**
     * Queues jobs of a purpose. PREFILL as {@link #queue(long, long, List, String, int)}. EVALUATION: a job per
     * item of {@code itemIds} (by default, every item of the dataset whose image is in split {@code test}), whatever
     * its status and human work; items that already have a live evaluation job for the model version are left out.
     *
     * @throws IllegalArgumentException for an unknown model version or an item id not in the dataset
     */
    @Transactional
    public QueuedPrefill queue(long datasetId, long modelVersionId, List<Long> itemIds, String requestedBy, int priority,
                               JobPurpose purpose) {
        java.util.Objects.requireNonNull(purpose, "purpose");
        datasets.get(datasetId);
        if (models.get(modelVersionId).isEmpty()) {
            throw new IllegalArgumentException("No model version #" + modelVersionId);
        }
        Long[] ids = itemIds == null ? null : itemIds.stream().distinct().toArray(Long[]::new);
        String selection = ids == null ? "" : " and it.id = any(:ids)";
        int selected = jdbc.sql("select count(*) from items it where it.dataset_id = :ds" + selection)
                .param("ds", datasetId).param("ids", ids).query(Integer.class).single();
        if (ids != null && selected != ids.length) {
            throw new IllegalArgumentException((ids.length - selected) + " of the " + ids.length
                    + " item ids are not items of the dataset");
        }
        long requestId = jdbc.sql("""
                        insert into prefill_requests (dataset_id, model_version_id, priority, requested_by)
                        values (:ds, :model, :priority, :by) returning id""")
                .param("ds", datasetId).param("model", modelVersionId).param("priority", priority)
                .param("by", requestedBy).query(Long.class).single();
        String eligible = purpose == JobPurpose.EVALUATION
                ? ids != null ? "" : " and exists (select 1 from images im where im.id = it.image_id and im.split = 'test')"
                : " and it.status in ('NEW', 'PREFILLED')"
                  + " and not exists (select 1 from caption_revisions r where r.item_id = it.id and r.origin = 'human')";
        int queued = jdbc.sql("""
                        insert into prefill_jobs (request_id, item_id, model_version_id, priority, max_attempts, purpose)
                        select :req, it.id, :model, :priority, :max, :purpose from items it
                        where it.dataset_id = :ds""" + eligible + selection + """
                         order by it.id
                        on conflict (item_id, model_version_id, purpose) where status in ('QUEUED', 'RUNNING') do nothing""")
                .param("req", requestId).param("model", modelVersionId).param("priority", priority)
                .param("max", maxAttempts).param("purpose", purpose.name()).param("ds", datasetId).param("ids", ids)
                .update();
        jdbc.sql("update prefill_requests set jobs_queued = :n where id = :id").param("n", queued).param("id", requestId)
                .update();
        return new QueuedPrefill(requestId, selected, queued);
    }

    /**
     * Claims up to {@code max} jobs for a worker, highest priority first, then oldest, each under a fresh lease
     * token. Jobs whose lease ran out go back to the queue first (or are parked as FAILED after their last attempt),
     * so a killed worker's job is claimed again. Concurrent claims never get the same job ({@code FOR UPDATE SKIP
     * LOCKED}).
     */
    @Transactional
    public List<ClaimedJob> claim(String worker, int max, Duration lease) {
        if (worker == null || worker.isBlank()) {
            throw new IllegalArgumentException("A claim needs the worker's name");
        }
        int limit = Math.clamp(max, 1, MAX_CLAIM);
        long leaseMillis = clampLease(lease).toMillis();
        sightings.seen(worker.strip());
        reclaimExpiredLeases();
        return jdbc.sql("""
                        with picked as (
                            select id from prefill_jobs where status = 'QUEUED'
                            order by priority desc, id limit :limit
                            for update skip locked
                        ), claimed as (
                            update prefill_jobs j set status = 'RUNNING', attempts = j.attempts + 1, worker = :worker,
                                lease_token = gen_random_uuid(), lease_expires_at = now() + :lease * interval '1 millisecond',
                                started_at = now(), updated_at = now()
                            from picked where j.id = picked.id
                            returning j.id, j.lease_token, j.lease_expires_at, j.attempts, j.item_id, j.model_version_id,
                                      j.priority
                        )
                        select c.id, c.lease_token::text as lease_token, c.lease_expires_at, c.attempts, c.item_id,
                               im.content_hash, im.byte_size, im.media_type, im.width, im.height,
                               c.model_version_id, mv.name as model_name
                        from claimed c
                        join items it on it.id = c.item_id
                        join images im on im.id = it.image_id
                        join model_versions mv on mv.id = c.model_version_id
                        order by c.priority desc, c.id""")
                .param("limit", limit).param("worker", worker.strip()).param("lease", leaseMillis)
                .query((rs, n) -> new ClaimedJob(rs.getLong("id"), rs.getString("lease_token"),
                        rs.getObject("lease_expires_at", OffsetDateTime.class), rs.getInt("attempts"),
                        rs.getLong("item_id"), rs.getString("content_hash"), rs.getLong("byte_size"),
                        rs.getString("media_type"), rs.getInt("width"), rs.getInt("height"),
                        rs.getLong("model_version_id"), rs.getString("model_name"), worker.strip()))
                .list();
    }

    /** Running jobs whose lease ran out: back to the queue, or FAILED after their last attempt. */
    private void reclaimExpiredLeases() {
        jdbc.sql("""
                        with expired as (
                            select id from prefill_jobs where status = 'RUNNING' and lease_expires_at < now()
                            for update skip locked
                        )
                        update prefill_jobs j set
                            status = case when j.attempts >= j.max_attempts then 'FAILED' else 'QUEUED' end,
                            last_error = 'lease of worker ' || coalesce(j.worker, '?') || ' ran out (attempt '
                                         || j.attempts || ' of ' || j.max_attempts || ')',
                            lease_token = null, lease_expires_at = null, updated_at = now(),
                            finished_at = case when j.attempts >= j.max_attempts then now() end
                        from expired where j.id = expired.id""")
                .update();
    }

    /**
     * Extends the lease of a running job. Only the worker account that claimed the job may renew it, and only
     * before the lease runs out.
     *
     * @param worker the calling worker's account (an {@code /instance} suffix is ignored)
     * @return when the lease now runs out
     * @throws LeaseLostException when the token no longer holds the job, the lease ran out, or another worker
     *                            account claimed it; nothing changes
     */
    @Transactional
    public OffsetDateTime renew(long jobId, String worker, String leaseToken, Duration lease) {
        Locked locked = lockJob(jobId);
        requireLiveLease(locked, worker, leaseToken, "renew");
        return jdbc.sql("""
                        update prefill_jobs set lease_expires_at = now() + :lease * interval '1 millisecond', updated_at = now()
                        where id = :id returning lease_expires_at""")
                .param("id", jobId).param("lease", clampLease(lease).toMillis())
                .query(OffsetDateTime.class).single();
    }

    /**
     * Completes a running job with its result, in one transaction: the result becomes the item's model revision
     * (origin MODEL, the job's model version, the timings) and the item goes from NEW to PREFILLED, unless the item
     * has human work (the job ends SKIPPED, nothing applied) or already has this content from this model (SUCCEEDED,
     * nothing new stored). Submitting again with the same lease token answers the same outcome and stores nothing.
     *
     * Only the worker account that claimed the job may submit, and only before its lease runs out (an expired
     * lease is refused even while the job has not been re-queued yet).
     *
     * @param worker the calling worker's account (an {@code /instance} suffix is ignored)
     * @throws InvalidPrefillResultException for a malformed result; nothing is stored, the job keeps running
     * @throws LeaseLostException            when the token no longer holds the job, the lease ran out, or another
     *                                       worker account claimed it; nothing is stored
     */
    @Transactional
    public JobOutcome complete(long jobId, String worker, String leaseToken, PrefillResult result) {
        Locked locked = lockJob(jobId);
        JobInfo job = locked.job();
        String token = normalToken(leaseToken);
        if (locked.heldBy(token) && locked.claimedBy(worker)
                && (job.status() == JobStatus.SUCCEEDED || job.status() == JobStatus.SKIPPED)) {
            return new JobOutcome(jobId, job.status(), job.revisionId(), warningsOf(job.revisionId()), job.note(), true);
        }
        requireLiveLease(locked, worker, leaseToken, "submit a result for");
        ItemInfo item = datasets.item(job.itemId()).orElseThrow(() -> new UnknownJobException(jobId));
        ResultCaptions.Built built = ResultCaptions.build(result, item.image().height(), item.image().width());
        if (purposeOf(jobId) == JobPurpose.EVALUATION) {
            predictions.store(job.modelVersionId(), item.id(), jobId, built.caption(), built.warnings(), result.timings());
            String note = "evaluation prediction stored (the item's revisions and status are untouched)";
            finish(jobId, JobStatus.SUCCEEDED, null, note, result.scores());
            return new JobOutcome(jobId, JobStatus.SUCCEEDED, null, built.warnings(), note, false);
        }

        // from here on the item's row is locked: an annotator's first draft (NEW/PREFILLED -> IN_PROGRESS) waits for
        // this transaction or came first and is seen here, so the pre-fill never overrides human work
        item = datasets.lockItem(item.id());
        Optional<RevisionSummary> human = revisions.latestSummary(item.id(), Origin.HUMAN);
        if (human.isPresent() || (item.status() != ItemStatus.NEW && item.status() != ItemStatus.PREFILLED)) {
            String note = human.isPresent()
                    ? "item #" + item.id() + " has human edits (revision #" + human.get().id()
                    + "); the pre-fill was not applied, so no human work is overwritten"
                    : "item #" + item.id() + " is " + item.status() + "; the pre-fill was not applied";
            finish(jobId, JobStatus.SKIPPED, null, note, result.scores());
            return new JobOutcome(jobId, JobStatus.SKIPPED, null, built.warnings(), note, false);
        }
        Optional<RevisionSummary> latest = revisions.latestSummary(item.id());
        Optional<RevisionSummary> sameModel = revisions.latestSummary(item.id(), Origin.MODEL)
                .filter(r -> r.modelVersionId() != null && r.modelVersionId() == job.modelVersionId());
        if (sameModel.isPresent() && latest.isPresent() && latest.get().id() == sameModel.get().id()
                && sameModel.get().contentHash().equals(revisions.contentHash(built.caption()))) {
            String note = "the item's model revision #" + sameModel.get().id() + " already has this content";
            finish(jobId, JobStatus.SUCCEEDED, sameModel.get().id(), note, result.scores());
            return new JobOutcome(jobId, JobStatus.SUCCEEDED, sameModel.get().id(), built.warnings(), note, false);
        }
        Revision stored = revisions.append(new NewRevision(item.id(), latest.map(RevisionSummary::id).orElse(null),
                built.caption(), Origin.MODEL, job.worker(), job.modelVersionId(),
                "prefill job #" + jobId + " attempt " + job.attempts(), built.warnings(), result.timings(),
                item.image().height(), item.image().width()));
        datasets.moveStatus(item.id(), ItemStatus.PREFILLED);
        finish(jobId, JobStatus.SUCCEEDED, stored.id(), null, result.scores());
        return new JobOutcome(jobId, JobStatus.SUCCEEDED, stored.id(), built.warnings(), null, false);
    }

    /**
     * A worker could not run a job: it goes back to the queue, or is parked as FAILED with the error once it has
     * had its attempts.
     *
     * @param worker the calling worker's account (an {@code /instance} suffix is ignored)
     * @return the job's status now (QUEUED or FAILED)
     * @throws LeaseLostException when the token no longer holds the job, the lease ran out, or another worker
     *                            account claimed it; nothing changes
     */
    @Transactional
    public JobStatus fail(long jobId, String worker, String leaseToken, String error) {
        Locked locked = lockJob(jobId);
        JobInfo job = locked.job();
        requireLiveLease(locked, worker, leaseToken, "report a failure for");
        String message = error == null || error.isBlank() ? "(no error message)" : truncate(error.strip(), 4000);
        JobStatus next = job.attempts() >= job.maxAttempts() ? JobStatus.FAILED : JobStatus.QUEUED;
        jdbc.sql("""
                        update prefill_jobs set status = :status, last_error = :error, lease_token = null,
                          lease_expires_at = null, updated_at = now(), finished_at = :finished
                        where id = :id""")
                .param("status", next.name()).param("error", "attempt " + job.attempts() + " of " + job.maxAttempts()
                        + " by " + job.worker() + ": " + message)
                .param("finished", next == JobStatus.FAILED ? OffsetDateTime.now() : null).param("id", jobId).update();
        return next;
    }

    /**
     * A worker hands back a job it has not finished (it is shutting down): the job goes back to the queue and the
     * attempt its claim counted is given back, so restarting workers never park a job. The reason is kept as the
     * job's note.
     *
     * @param worker the calling worker's account (an {@code /instance} suffix is ignored)
     * @return the job's status now (QUEUED)
     * @throws LeaseLostException when the token no longer holds the job, the lease ran out, or another worker
     *                            account claimed it; nothing changes
     */
    @Transactional
    public JobStatus release(long jobId, String worker, String leaseToken, String reason) {
        Locked locked = lockJob(jobId);
        JobInfo job = locked.job();
        requireLiveLease(locked, worker, leaseToken, "hand back");
        String why = reason == null || reason.isBlank() ? "no reason given" : truncate(reason.strip(), 500);
        jdbc.sql("""
                        update prefill_jobs set status = 'QUEUED', attempts = greatest(attempts - 1, 0), worker = null,
                          lease_token = null, lease_expires_at = null, started_at = null, updated_at = now(),
                          note = :note
                        where id = :id""")
                .param("note", "handed back by " + job.worker() + " (" + why + "); the attempt was not counted")
                .param("id", jobId).update();
        return JobStatus.QUEUED;
    }

    /**
     * Puts a FAILED or CANCELLED job back in the queue with a fresh set of attempts.
     *
     * @throws IllegalStateException when the job is in another state, or the item has another live job
     */
    @Transactional
    public JobInfo retry(long jobId) {
        JobInfo job = lockJob(jobId).job();
        if (job.status() != JobStatus.FAILED && job.status() != JobStatus.CANCELLED) {
            throw new IllegalStateException("Job #" + jobId + " is " + job.status() + ": only FAILED or CANCELLED jobs can be retried");
        }
        try {
            jdbc.sql("""
                            update prefill_jobs set status = 'QUEUED', attempts = 0, worker = null, lease_token = null,
                              lease_expires_at = null, finished_at = null, updated_at = now()
                            where id = :id""")
                    .param("id", jobId).update();
        } catch (DuplicateKeyException e) {
            throw new IllegalStateException("Item #" + job.itemId() + " already has a queued or running job for this model version");
        }
        return job(jobId);
    }

    /**
     * Cancels a QUEUED or RUNNING job; a worker running it is refused when it renews or submits.
     *
     * @throws IllegalStateException when the job has already ended
     */
    @Transactional
    public JobInfo cancel(long jobId) {
        JobInfo job = lockJob(jobId).job();
        if (job.status() != JobStatus.QUEUED && job.status() != JobStatus.RUNNING) {
            throw new IllegalStateException("Job #" + jobId + " is " + job.status() + ": only QUEUED or RUNNING jobs can be cancelled");
        }
        jdbc.sql("""
                        update prefill_jobs set status = 'CANCELLED', lease_token = null, lease_expires_at = null,
                          finished_at = now(), updated_at = now()
                        where id = :id""")
                .param("id", jobId).update();
        return job(jobId);
    }

    /** A job as the curator sees it. */
    @Transactional(readOnly = true)
    public JobInfo job(long jobId) {
        return jdbc.sql("select " + JOB_COLUMNS + " from prefill_jobs where id = :id").param("id", jobId)
                .query(PrefillService::jobOf).optional().orElseThrow(() -> new UnknownJobException(jobId));
    }

    /** The jobs of an item, newest first. */
    @Transactional(readOnly = true)
    public List<JobInfo> jobsOfItem(long itemId) {
        return jdbc.sql("select " + JOB_COLUMNS + " from prefill_jobs where item_id = :item order by id desc")
                .param("item", itemId).query(PrefillService::jobOf).list();
    }

    /** The jobs per status of every dataset that has pre-fill jobs, by dataset name. */
    @Transactional(readOnly = true)
    public List<DatasetQueue> datasetQueues() {
        Map<Long, DatasetQueue> queues = new LinkedHashMap<>();
        jdbc.sql("""
                        select d.id, d.name, j.status, count(*) as n
                        from prefill_jobs j join prefill_requests r on r.id = j.request_id
                        join datasets d on d.id = r.dataset_id
                        group by d.id, d.name, j.status order by d.name, d.id""")
                .query((ResultSet rs) -> {
                    String name = rs.getString("name");
                    queues.computeIfAbsent(rs.getLong("id"), id -> new DatasetQueue(id, name, emptyCounts()))
                            .byStatus().put(JobStatus.valueOf(rs.getString("status")), rs.getLong("n"));
                });
        return List.copyOf(queues.values());
    }

    /**
     * Jobs in one status, optionally of one dataset: QUEUED in claim order, the others newest first; at most
     * {@code limit} (1..1000).
     */
    @Transactional(readOnly = true)
    public List<JobInfo> jobs(JobStatus status, Long datasetId, int limit) {
        String order = status == JobStatus.QUEUED ? "priority desc, id" : "id desc";
        return jdbc.sql("select " + JOB_COLUMNS + " from prefill_jobs j where status = :status"
                        + (datasetId == null ? "" : " and exists (select 1 from prefill_requests r where r.id = j.request_id"
                        + " and r.dataset_id = :ds)") + " order by " + order + " limit :limit")
                .param("status", status.name()).param("ds", datasetId).param("limit", Math.clamp(limit, 1, 1000))
                .query(PrefillService::jobOf).list();
    }

    /** Queue depth, running and failed jobs with their errors, throughput per model version. */
    @Transactional(readOnly = true)
    public PrefillStats stats() {
        Map<JobStatus, Long> byStatus = emptyCounts();
        Map<Long, Map<JobStatus, Long>> perModel = new LinkedHashMap<>();
        jdbc.sql("select model_version_id, status, count(*) as n from prefill_jobs group by model_version_id, status "
                        + "order by model_version_id")
                .query((ResultSet rs) -> {
                    JobStatus s = JobStatus.valueOf(rs.getString("status"));
                    long n = rs.getLong("n");
                    byStatus.merge(s, n, Long::sum);
                    perModel.computeIfAbsent(rs.getLong("model_version_id"), k -> emptyCounts()).put(s, n);
                });
        OffsetDateTime oldestQueued = jdbc.sql("select min(created_at) from prefill_jobs where status = 'QUEUED'")
                .query(OffsetDateTime.class).optional().orElse(null);
        long expired = jdbc.sql("select count(*) from prefill_jobs where status = 'RUNNING' and lease_expires_at < now()")
                .query(Long.class).single();
        List<PrefillStats.ModelStats> models = new ArrayList<>();
        jdbc.sql("""
                        select mv.id, mv.name,
                          count(*) filter (where j.finished_at >= now() - interval '1 hour') as last_hour,
                          count(*) filter (where j.finished_at >= now() - interval '15 minutes') as last_15,
                          avg(extract(epoch from (j.finished_at - j.started_at)) * 1000)
                              filter (where j.finished_at >= now() - interval '1 hour') as mean_ms
                        from model_versions mv
                        left join prefill_jobs j on j.model_version_id = mv.id and j.finished_at is not null
                          and j.status in ('SUCCEEDED', 'SKIPPED') and j.finished_at >= now() - interval '1 hour'
                        where mv.id = any(:ids)
                        group by mv.id, mv.name order by mv.id""")
                .param("ids", perModel.keySet().toArray(Long[]::new))
                .query((ResultSet rs) -> {
                    double mean = rs.getDouble("mean_ms");
                    Double meanMs = rs.wasNull() ? null : mean;
                    models.add(new PrefillStats.ModelStats(rs.getLong("id"), rs.getString("name"),
                            perModel.get(rs.getLong("id")), rs.getLong("last_hour"), rs.getLong("last_15") / 15.0, meanMs,
                            rs.getLong("last_hour") / 60.0, new LinkedHashMap<>()));
                });
        Map<Long, PrefillStats.ModelStats> byId = new LinkedHashMap<>();
        models.forEach(m -> byId.put(m.modelVersionId(), m));
        // the worker's per-stage timings, stored on the revisions its jobs wrote in the last hour
        jdbc.sql("""
                        select j.model_version_id, t.key as stage, avg(t.value::double precision) as mean_ms
                        from prefill_jobs j join caption_revisions r on r.id = j.revision_id,
                             jsonb_each_text(coalesce(r.timings, '{}'::jsonb)) t
                        where j.status = 'SUCCEEDED' and j.finished_at >= now() - interval '1 hour'
                          and jsonb_typeof(r.timings -> t.key) = 'number' and j.model_version_id = any(:ids)
                        group by j.model_version_id, t.key order by j.model_version_id, t.key""")
                .param("ids", perModel.keySet().toArray(Long[]::new))
                .query((ResultSet rs) -> {
                    PrefillStats.ModelStats m = byId.get(rs.getLong("model_version_id"));
                    if (m != null) {
                        m.meanStageMillis().put(rs.getString("stage"), rs.getDouble("mean_ms"));
                    }
                });
        List<JobInfo> failed = jdbc.sql("select " + JOB_COLUMNS + " from prefill_jobs where status = 'FAILED' "
                + "order by id desc limit 100").query(PrefillService::jobOf).list();
        return new PrefillStats(byStatus, oldestQueued, expired, models, failed);
    }

    private void finish(long jobId, JobStatus status, Long revisionId, String note, List<Double> scores) {
        jdbc.sql("""
                        update prefill_jobs set status = :status, revision_id = :rev, note = :note, scores = :scores,
                          last_error = null, finished_at = now(), updated_at = now()
                        where id = :id""")
                .param("status", status.name()).param("rev", revisionId).param("note", note)
                .param("scores", scores == null ? null : scores.toArray(Double[]::new)).param("id", jobId).update();
    }

    /** The purpose of a job. */
    @Transactional(readOnly = true)
    public JobPurpose purposeOf(long jobId) {
        return jdbc.sql("select purpose from prefill_jobs where id = :id").param("id", jobId).query(String.class)
                .optional().map(JobPurpose::valueOf).orElseThrow(() -> new UnknownJobException(jobId));
    }

    private List<String> warningsOf(Long revisionId) {
        return revisionId == null ? List.of() : revisions.get(revisionId).map(Revision::warnings).orElse(List.of());
    }

    /**
     * A job row locked for this transaction, with its lease token (never shown to curators) and whether its lease
     * has run out (by the database's clock, as the claim that set it).
     */
    private record Locked(JobInfo job, String leaseToken, boolean leaseExpired) {

        long id() {
            return job.id();
        }

        JobStatus status() {
            return job.status();
        }

        /** Whether {@code token} is the token of the job's current (or, once finished, last) claim. */
        boolean heldBy(String token) {
            return leaseToken != null && leaseToken.equals(token);
        }

        /** Whether the worker account of {@code worker} is the one that claimed the job. */
        boolean claimedBy(String worker) {
            return job.worker() != null && workerAccount(job.worker()).equals(workerAccount(worker));
        }
    }

    /**
     * The lease check of every worker call on a running job: the token is the job's current one, the caller is the
     * worker account that claimed it, and the lease has not run out.
     */
    private static void requireLiveLease(Locked locked, String worker, String leaseToken, String action) {
        if (locked.status() != JobStatus.RUNNING || !locked.heldBy(normalToken(leaseToken))) {
            throw leaseLost(locked, action);
        }
        if (!locked.claimedBy(worker)) {
            throw new LeaseLostException("Job #" + locked.id() + " was claimed by another worker account: "
                    + "this worker can not " + action + " it; drop the job");
        }
        if (locked.leaseExpired()) {
            throw new LeaseLostException("The lease of job #" + locked.id() + " ran out at "
                    + locked.job().leaseExpiresAt() + ": this lease token can no longer " + action + " it; drop the job");
        }
    }

    /**
     * The account part of a worker name: a claim's worker is {@code account} or {@code account/instance} (user
     * names never contain a slash).
     */
    static String workerAccount(String worker) {
        if (worker == null) {
            return "";
        }
        String w = worker.strip();
        int slash = w.indexOf('/');
        return slash < 0 ? w : w.substring(0, slash);
    }

    private Locked lockJob(long jobId) {
        return jdbc.sql("select " + JOB_COLUMNS + ", coalesce(lease_expires_at < now(), false) as lease_expired "
                        + "from prefill_jobs where id = :id for update").param("id", jobId)
                .query((rs, n) -> new Locked(jobOf(rs, n), rs.getString("lease_token"), rs.getBoolean("lease_expired")))
                .optional()
                .orElseThrow(() -> new UnknownJobException(jobId));
    }

    private static LeaseLostException leaseLost(Locked job, String action) {
        return new LeaseLostException("Job #" + job.id() + " is " + job.status()
                + (job.status() == JobStatus.RUNNING ? " under another lease" : "")
                + ": this lease token can no longer " + action + " it; drop the job");
    }

    private static String normalToken(String token) {
        if (token == null || token.isBlank()) {
            return "";
        }
        try {
            return UUID.fromString(token.strip()).toString();
        } catch (IllegalArgumentException e) {
            return token.strip();
        }
    }

    private static Duration clampLease(Duration lease) {
        if (lease == null) {
            return Duration.ofMinutes(1);
        }
        return lease.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : lease.compareTo(MAX_LEASE) > 0 ? MAX_LEASE : lease;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static Map<JobStatus, Long> emptyCounts() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            counts.put(s, 0L);
        }
        return counts;
    }

    private static JobInfo jobOf(ResultSet rs, int row) throws SQLException {
        long rev = rs.getLong("revision_id");
        Long revisionId = rs.wasNull() ? null : rev;
        return new JobInfo(rs.getLong("id"), rs.getLong("request_id"), rs.getLong("item_id"),
                rs.getLong("model_version_id"), JobStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                rs.getInt("max_attempts"), rs.getString("worker"), rs.getObject("lease_expires_at", OffsetDateTime.class),
                rs.getString("last_error"), rs.getString("note"), revisionId,
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class));
    }
}

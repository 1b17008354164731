package studio.grounding.prefill;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The pre-fill queue as Micrometer gauges (Prometheus: {@code studio_prefill_jobs{status="QUEUED"}} ...,
 * {@code studio_prefill_expired_leases}), for {@code /actuator/prometheus}. One grouped count per scrape at most
 * every 5 seconds, however many gauges read it.
 */
@Component
class PrefillQueueMetrics implements MeterBinder {

    private static final long MAX_AGE_NANOS = 5_000_000_000L;

    private final JdbcClient jdbc;
    private Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    private long expired;
    private long readAt;

    PrefillQueueMetrics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("studio.prefill.jobs", this, m -> m.count(status)).tag("status", status.name())
                    .description("pre-fill jobs per status").register(registry);
        }
        Gauge.builder("studio.prefill.expired.leases", this, m -> m.expiredLeases())
                .description("running jobs whose lease ran out (re-queued at the next claim)").register(registry);
    }

    private synchronized double count(JobStatus status) {
        refresh();
        return counts.getOrDefault(status, 0L);
    }

    private synchronized double expiredLeases() {
        refresh();
        return expired;
    }

    private void refresh() {
        if (readAt != 0 && System.nanoTime() - readAt < MAX_AGE_NANOS) {
            return;
        }
        Map<JobStatus, Long> fresh = new EnumMap<>(JobStatus.class);
        jdbc.sql("select status, count(*) as n from prefill_jobs group by status")
                .query((java.sql.ResultSet rs) -> {
                    fresh.put(JobStatus.valueOf(rs.getString("status")), rs.getLong("n"));
                });
        expired = jdbc.sql("select count(*) from prefill_jobs where status = 'RUNNING' and lease_expires_at < now()")
                .query(Long.class).single();
        counts = fresh;
        readAt = System.nanoTime();
    }
}

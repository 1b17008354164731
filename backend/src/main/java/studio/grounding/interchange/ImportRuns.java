package studio.grounding.interchange;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The stored record of import runs and their problems. Each call commits on its own (auto-commit, outside the
 * per-record transactions), so a report survives whatever happens to the records.
 */
@Component
class ImportRuns {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    ImportRuns(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    long start(long datasetId, ImportFormat format, String source, String startedBy) {
        ImportRunOwner owner = ImportRunOwner.current();
        return jdbc.sql("""
                        insert into import_runs (dataset_id, format, source, started_by, owner_host, owner_pid, owner_started_at)
                        values (:ds, :f, :s, :by, :host, :pid, :started) returning id""")
                .param("ds", datasetId).param("f", format.name()).param("s", source).param("by", startedBy)
                .param("host", owner.host()).param("pid", owner.pid())
                .param("started", owner.startedAt() == null ? null : java.sql.Timestamp.from(owner.startedAt()))
                .query(Long.class).single();
    }

    /**
     * Marks FAILED (interrupted) the RUNNING runs whose process is gone: on this host with a pid that no longer runs
     * (or runs another program since), or written before the owner was recorded (by a version no longer running).
     * Runs of other hosts are left alone. Returns the ids marked.
     */
    List<Long> failInterrupted() {
        ImportRunOwner self = ImportRunOwner.current();
        List<ImportRunOwner.Run> running = jdbc.sql("""
                        select id, owner_host, owner_pid, owner_started_at from import_runs where status = 'RUNNING'""")
                .query((rs, n) -> new ImportRunOwner.Run(rs.getLong(1), new ImportRunOwner(rs.getString(2),
                        rs.getObject(3) == null ? null : rs.getLong(3),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()))).list();
        List<Long> failed = new java.util.ArrayList<>();
        for (ImportRunOwner.Run run : running) {
            if (run.owner().isGoneOn(self.host())) {
                String why = run.owner().pid() == null ? "interrupted: started by an earlier version that is no longer running"
                        : "interrupted: its process " + run.owner().pid() + " on " + run.owner().host() + " is gone";
                int updated = jdbc.sql("""
                                update import_runs set status = 'FAILED', finished_at = now(), failure = :why
                                where id = :id and status = 'RUNNING'""")
                        .param("why", why).param("id", run.id()).update();
                if (updated == 1) {
                    failed.add(run.id());
                }
            }
        }
        return failed;
    }

    void problems(long runId, List<ImportProblem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        template.batchUpdate("insert into import_problems (run_id, file, record_index, field, reason) values (?, ?, ?, ?, ?)",
                problems.stream().map(p -> new Object[] {runId, p.file(), p.recordIndex() < 0 ? null : p.recordIndex(),
                        p.field(), reasonWithPosition(p)}).toList());
    }

    void finish(long runId, ImportCounts counts, boolean failed) {
        jdbc.sql("""
                        update import_runs set finished_at = now(), status = :status, records_read = :read,
                          records_created = :created, records_updated = :updated, records_unchanged = :unchanged,
                          records_failed = :failed, masks_stored = :masks where id = :id""")
                .param("status", failed ? "FAILED" : "SUCCEEDED").param("read", counts.read.get())
                .param("created", counts.created.get()).param("updated", counts.updated.get()).param("unchanged", counts.unchanged.get())
                .param("failed", counts.failed.get()).param("masks", counts.masks.get()).param("id", runId).update();
    }

    private static String reasonWithPosition(ImportProblem p) {
        return p.position() == null ? p.reason()
                : p.reason() + " (line " + p.position().line() + ", column " + p.position().column() + ")";
    }

    /** Running totals of one import, updated by several worker threads. */
    static final class ImportCounts {
        final AtomicLong read = new AtomicLong();
        final AtomicLong created = new AtomicLong();
        final AtomicLong updated = new AtomicLong();
        final AtomicLong unchanged = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong masks = new AtomicLong();
    }
}

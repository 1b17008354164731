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
        return jdbc.sql("insert into import_runs (dataset_id, format, source, started_by) values (:ds, :f, :s, :by) returning id")
                .param("ds", datasetId).param("f", format.name()).param("s", source).param("by", startedBy)
                .query(Long.class).single();
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

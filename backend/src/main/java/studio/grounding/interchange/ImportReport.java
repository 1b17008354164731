package studio.grounding.interchange;

import java.time.Duration;
import java.util.List;

/**
 * What an import did: counts per outcome and every problem, with file, record index, field and reason.
 *
 * @param runId     the import run as stored (its problems are kept with it)
 * @param read      records read from the files (good and bad)
 * @param created   items created
 * @param updated   items that got a new revision
 * @param unchanged records whose content the item already had (a re-run of the same import)
 * @param failed    records not imported (see problems)
 * @param masks     masks stored
 */
public record ImportReport(long runId, ImportFormat format, long read, long created, long updated, long unchanged,
                           long failed, long masks, List<ImportProblem> problems, Duration elapsed) {

    public ImportReport {
        problems = List.copyOf(problems);
    }

    public boolean succeeded() {
        return failed == 0 && problems.stream().noneMatch(ImportProblem::isSyntaxError);
    }

    /** Records per second over the whole run. */
    public double recordsPerSecond() {
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-9);
        return read / seconds;
    }
}

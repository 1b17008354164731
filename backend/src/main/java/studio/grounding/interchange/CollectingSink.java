package studio.grounding.interchange;

import java.util.ArrayList;
import java.util.List;

/** A {@link RecordSink} that keeps everything in memory: for tests and small files only. */
public final class CollectingSink implements RecordSink {

    private final List<SourceRecord> records = new ArrayList<>();
    private final List<ImportProblem> problems = new ArrayList<>();

    /** An empty sink. */
    public CollectingSink() {
    }

    @Override
    public void record(SourceRecord record) {
        records.add(record);
    }

    @Override
    public void problem(ImportProblem problem) {
        problems.add(problem);
    }

    /** Records delivered so far, in order. */
    public List<SourceRecord> records() {
        return records;
    }

    /** Problems reported so far, in order. */
    public List<ImportProblem> problems() {
        return problems;
    }
}

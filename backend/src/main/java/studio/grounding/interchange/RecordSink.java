package studio.grounding.interchange;

/**
 * Receives what a reader finds, in file order: records that could be imported and problems for those that could not.
 * Exceptions thrown by the sink are not caught by readers; they abort the read.
 */
public interface RecordSink {

    /** A record that passed every check (it may still carry {@link SourceRecord#warnings()}). */
    void record(SourceRecord record);

    /** A record that could not be imported, or a syntax error that ended the read. */
    void problem(ImportProblem problem);
}

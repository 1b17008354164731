package studio.grounding.interchange;

/** Told how an import advances, every few hundred records and at the end. */
@FunctionalInterface
public interface ImportProgress {

    ImportProgress NONE = (read, failed) -> { };

    void advanced(long recordsRead, long recordsFailed);
}

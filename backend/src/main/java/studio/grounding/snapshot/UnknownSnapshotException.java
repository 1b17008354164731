package studio.grounding.snapshot;

/** No snapshot of that number in that dataset (or of that id). */
public class UnknownSnapshotException extends RuntimeException {

    public UnknownSnapshotException(String which) {
        super("No snapshot " + which);
    }
}

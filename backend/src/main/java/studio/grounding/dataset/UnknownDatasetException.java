package studio.grounding.dataset;

/** A dataset name or id that does not exist. */
public class UnknownDatasetException extends RuntimeException {

    public UnknownDatasetException(String nameOrId) {
        super("No dataset " + nameOrId);
    }
}

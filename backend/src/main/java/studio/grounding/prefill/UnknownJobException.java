package studio.grounding.prefill;

/** There is no pre-fill job with that id. */
public class UnknownJobException extends RuntimeException {

    public UnknownJobException(long jobId) {
        super("No pre-fill job #" + jobId);
    }
}

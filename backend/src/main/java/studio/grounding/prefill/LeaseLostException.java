package studio.grounding.prefill;

/**
 * A worker presented a lease token that no longer holds the job: the lease ran out and the job went back to the
 * queue or to another worker, or it was cancelled or finished. The worker must drop the job (HTTP 409).
 */
public class LeaseLostException extends IllegalStateException {

    public LeaseLostException(String message) {
        super(message);
    }
}

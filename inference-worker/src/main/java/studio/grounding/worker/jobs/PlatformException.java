package studio.grounding.worker.jobs;

/** The platform answered with an error status, or could not be reached ({@code status} 0). */
public class PlatformException extends RuntimeException {

    private final int status;

    public PlatformException(int status, String message) {
        super(message);
        this.status = status;
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** 401 or 403: the token is wrong or its account lacks the WORKER role; retrying will not help. */
    public boolean isAuthProblem() {
        return status == 401 || status == 403;
    }

    /** 5xx or no answer: worth retrying later. */
    public boolean isTransient() {
        return status == 0 || status >= 500;
    }

    /** 409 from a job call: the lease is no longer this worker's; drop the job. */
    public static final class LeaseLost extends PlatformException {
        public LeaseLost(long jobId, String body) {
            super(409, "lease of job " + jobId + " lost: " + body);
        }
    }
}

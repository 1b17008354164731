package studio.grounding.assist;

/** The worker reported that it could not answer (answered 502 with the worker's reason). */
public class AssistFailedException extends RuntimeException {

    public AssistFailedException(String reason) {
        super("The worker could not answer: " + reason);
    }
}

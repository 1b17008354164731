package studio.grounding.assist;

/** No worker (for the requested model) is polling for interactive requests: answered 503. */
public class NoAssistWorkerException extends RuntimeException {

    public NoAssistWorkerException(String model) {
        super(model == null ? "No worker connected for interactive requests: start an inference worker"
                : "No worker with model " + model + " connected for interactive requests");
    }
}

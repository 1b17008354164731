package studio.grounding.assist;

import java.time.Duration;

/** No worker answered within the wait: answered 504. */
public class AssistTimeoutException extends RuntimeException {

    public AssistTimeoutException(AssistKind kind, Duration waited) {
        super("No worker answered the " + kind + " request within " + waited.toMillis() + " ms");
    }
}

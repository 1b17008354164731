package studio.grounding.assist;

/** A worker answered a request that is unknown, already answered, or whose caller stopped waiting: 404. */
public class UnknownAssistRequestException extends RuntimeException {

    public UnknownAssistRequestException(String id) {
        super("No waiting interactive request " + id + " (unknown, answered, or timed out)");
    }
}

package studio.grounding.training;

/** No finetuning run with that id. */
public class UnknownRunException extends RuntimeException {

    public UnknownRunException(long id) {
        super("No training run #" + id);
    }
}

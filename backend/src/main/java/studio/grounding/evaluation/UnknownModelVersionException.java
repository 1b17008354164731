package studio.grounding.evaluation;

/** A model version name that is not registered. */
public class UnknownModelVersionException extends RuntimeException {

    public UnknownModelVersionException(String name) {
        super("No model version named \"" + name + "\"");
    }
}

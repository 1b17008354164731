package studio.grounding.prefill;

import java.util.List;

/** A submitted result that cannot be stored, with every problem found; nothing was stored (HTTP 400). */
public class InvalidPrefillResultException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidPrefillResultException(List<String> problems) {
        super("Invalid pre-fill result: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

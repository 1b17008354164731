package studio.grounding.security;

import java.util.List;

/** A password the policy refuses, with every problem as a sentence for people. Nothing was stored. */
public class WeakPasswordException extends IllegalArgumentException {

    private final List<String> problems;

    public WeakPasswordException(List<String> problems) {
        super(String.join(" ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as one sentence, e.g. "This is one of the most common passwords." */
    public List<String> problems() {
        return problems;
    }
}

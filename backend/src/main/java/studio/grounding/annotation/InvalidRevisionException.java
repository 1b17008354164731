package studio.grounding.annotation;

import java.util.List;
import java.util.stream.Collectors;

/** A revision that cannot be stored, with every problem found (field path and reason). Nothing was written. */
public class InvalidRevisionException extends RuntimeException {

    private final List<GroundedCaption.FieldProblem> problems;

    public InvalidRevisionException(List<GroundedCaption.FieldProblem> problems) {
        super(problems.stream().map(p -> p.field() + ": " + p.reason()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<GroundedCaption.FieldProblem> problems() {
        return problems;
    }
}

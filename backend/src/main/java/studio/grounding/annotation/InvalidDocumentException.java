package studio.grounding.annotation;

import java.util.List;

/** An editor document that cannot be read or stored: every problem as {@code field: reason}. Nothing was stored. */
public class InvalidDocumentException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidDocumentException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidDocumentException(String field, String reason) {
        this(List.of(field + ": " + reason));
    }

    /** Each problem as {@code field: reason}, e.g. {@code phrases[2].masks[0].counts: malformed RLE at position 17}. */
    public List<String> problems() {
        return problems;
    }
}

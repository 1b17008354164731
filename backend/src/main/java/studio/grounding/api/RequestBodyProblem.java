package studio.grounding.api;

import java.util.List;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The detail of an unreadable request body, naming the field as a path into the JSON ({@code roles[0]},
 * {@code targets[1].comment}, {@code $} for the whole body) and saying what is wrong without Java type names or
 * parser internals.
 */
final class RequestBodyProblem {

    private RequestBodyProblem() {
    }

    static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (!(cause instanceof JacksonException jackson)) {
            return "$: the request body is missing or not readable";
        }
        String field = path(jackson.getPath());
        if (jackson instanceof StreamReadException read && !(jackson instanceof MismatchedInputException)) {
            return field + ": malformed JSON" + (read.getLocation() == null ? ""
                    : " at line " + read.getLocation().getLineNr() + ", column " + read.getLocation().getColumnNr());
        }
        if (jackson instanceof InvalidFormatException invalid) {
            return field + ": " + shortValue(invalid.getValue()) + " is not a valid value"
                    + enumValues(invalid.getTargetType());
        }
        if (jackson instanceof MismatchedInputException mismatched) {
            return field + ": has the wrong type" + enumValues(mismatched.getTargetType());
        }
        return field + ": cannot be read";
    }

    static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference r : references) {
            if (r.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "$" : path.toString();
    }

    private static String enumValues(Class<?> type) {
        if (type == null || !type.isEnum()) {
            return "";
        }
        return " (one of " + List.of(type.getEnumConstants()) + ")";
    }

    private static String shortValue(Object value) {
        String text = String.valueOf(value);
        return "\"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
    }
}

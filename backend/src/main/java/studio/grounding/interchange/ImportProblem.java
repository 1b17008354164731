package studio.grounding.interchange;

import java.util.Objects;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Something in an input file that prevented a record from being imported.
 *
 * <p>A record with a problem is not delivered; the reader goes on with the next record. A JSON syntax error
 * ({@link #isSyntaxError()}) carries its position, and the reader stops there: records before it have been delivered.
 *
 * @param file        name of the file the problem is in (file name only, no directory)
 * @param recordIndex 0-based index of the record (array element, image, JSONL line, prediction file);
 *                    {@code -1} when the problem concerns no single record (e.g. the top level is not an array)
 * @param field       path of the offending field inside the record, e.g. {@code groundings.a man.token_positives},
 *                    {@code refs[1].segmentation}, {@code pred_masks[0].counts}; {@code $} for the record (or file) as a whole
 * @param reason      human readable explanation
 * @param position    where a JSON syntax error is; {@code null} for problems with valid JSON
 */
public record ImportProblem(String file, long recordIndex, String field, String reason, Position position) {

    public ImportProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
    }

    /** A problem with the content of a record (valid JSON). */
    public ImportProblem(String file, long recordIndex, String field, String reason) {
        this(file, recordIndex, field, reason, null);
    }

    /** Whether this is a JSON syntax error (or a truncated file): reading stopped at {@link #position()}. */
    public boolean isSyntaxError() {
        return position != null;
    }

    /**
     * Position of a syntax error.
     *
     * @param line       1-based line, {@code -1} if unknown
     * @param column     1-based column, {@code -1} if unknown
     * @param byteOffset 0-based byte offset in the file (or line, for JSONL), {@code -1} if unknown
     */
    public record Position(long line, long column, long byteOffset) {
    }

    static ImportProblem syntax(String file, long recordIndex, JacksonException e) {
        TokenStreamLocation loc = e.getLocation();
        Position pos = loc == null ? new Position(-1, -1, -1)
                : new Position(loc.getLineNr(), loc.getColumnNr(), loc.getByteOffset());
        String message = e.getOriginalMessage();
        return new ImportProblem(file, recordIndex, "$", "invalid JSON: " + message, pos);
    }

    @Override
    public String toString() {
        return file + (recordIndex >= 0 ? " record " + recordIndex : "") + " " + field + ": " + reason
                + (position != null ? " (line " + position.line() + ", column " + position.column() + ")" : "");
    }
}

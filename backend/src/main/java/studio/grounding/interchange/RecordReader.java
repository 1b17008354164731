package studio.grounding.interchange;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Streams the records of one input (a file, or a directory for {@link PredictionReader}) into a sink,
 * in constant memory whatever the input size.
 */
public interface RecordReader {

    /**
     * Reads {@code input} and hands every record and every problem to {@code sink}, in file order.
     * Problems with the content never throw; they become {@link ImportProblem}s.
     *
     * @throws IOException if the input cannot be opened or read at all (missing file, I/O error)
     */
    void read(Path input, RecordSink sink) throws IOException;
}

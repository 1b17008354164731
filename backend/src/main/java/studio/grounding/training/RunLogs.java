package studio.grounding.training;

import java.util.List;

/** The last lines of a run's standard output and error ({@code logs/stdout.log}, {@code logs/stderr.log}). */
public record RunLogs(long runId, List<String> stdout, List<String> stderr) {

    public RunLogs {
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
    }
}

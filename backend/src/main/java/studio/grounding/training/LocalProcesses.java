package studio.grounding.training;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.springframework.stereotype.Component;

/**
 * The training processes this platform started (LOCAL launcher): each a child process in its bundle directory with
 * stdout and stderr going straight to the bundle's log files (so they survive the platform), stopped as a whole
 * process tree on cancel.
 */
@Component
class LocalProcesses {

    private final Map<Long, Process> running = new ConcurrentHashMap<>();

    /** Starts {@code command} for the run; {@code onExit} gets the exit code when it ends (on another thread). */
    Process start(long runId, List<String> command, RunBundle bundle, Map<String, String> environment, IntConsumer onExit)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(bundle.dir().toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(bundle.stdout().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(bundle.stderr().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        running.put(runId, process);
        process.onExit().thenAccept(p -> {
            running.remove(runId);
            onExit.accept(p.exitValue());
        });
        return process;
    }

    boolean isRunning(long runId) {
        Process p = running.get(runId);
        return p != null && p.isAlive();
    }

    /** Stops the run's process tree (TERM, then KILL after a grace period); false if this platform is not running it. */
    boolean stop(long runId) {
        Process process = running.get(runId);
        if (process == null) {
            return false;
        }
        stopTree(process.toHandle());
        return true;
    }

    /**
     * Stops a process this platform started before a restart, if it is still alive and is the same process (it
     * started no later than the run did, allowing for clock granularity): pids are reused.
     */
    static boolean stopOrphan(long pid, Instant runStartedAt) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = handle.get().info().startInstant();
        if (started.isEmpty() || runStartedAt == null
                || Duration.between(runStartedAt, started.get()).abs().compareTo(Duration.ofSeconds(5)) > 0) {
            return false;
        }
        stopTree(handle.get());
        return true;
    }

    private static void stopTree(ProcessHandle root) {
        List<ProcessHandle> tree = root.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        root.destroy();
        try {
            root.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // still alive after the grace period (or interrupted): kill below
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (root.isAlive()) {
            root.destroyForcibly();
        }
    }
}

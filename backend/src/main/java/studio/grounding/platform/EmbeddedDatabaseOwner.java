package studio.grounding.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * Which platform process runs the embedded PostgreSQL ({@code <data dir>/postgres-owner}: its pid and start time).
 * A server found running whose owner is gone (the platform was killed) is an orphan: the next platform process
 * stops it and starts its own, which it then supervises. A server without this file was started by an older
 * version and is attached to as before.
 */
final class EmbeddedDatabaseOwner {

    private final Path file;

    EmbeddedDatabaseOwner(Path file) {
        this.file = file;
    }

    void claim() throws IOException {
        ProcessHandle self = ProcessHandle.current();
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, self.pid() + " " + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void release() throws IOException {
        Optional<long[]> owner = read();
        if (owner.isPresent() && owner.get()[0] == ProcessHandle.current().pid()) {
            Files.deleteIfExists(file);
        }
    }

    /** Whether the file names a process that is gone (false without a file: the owner is unknown). */
    boolean ownerIsGone() {
        return read().map(o -> !isRunning(o[0], o[1])).orElse(false);
    }

    private Optional<long[]> read() {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(file).strip().split(" ");
            return Optional.of(new long[] {Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0});
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isRunning(long pid, long startMillis) {
        if (!PostmasterProcess.isAlive(pid)) {
            return false;
        }
        // the pid may have been reused by another process since
        return startMillis == 0 || ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                .map(s -> Math.abs(s.toEpochMilli() - startMillis) < 2000).orElse(true);
    }
}

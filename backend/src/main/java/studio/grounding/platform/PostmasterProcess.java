package studio.grounding.platform;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL server processes of one data directory, seen from outside: the postmaster named in
 * {@code postmaster.pid} and every process working in the directory (PostgreSQL's processes all run with the data
 * directory as their working directory).
 *
 * @param pid  the postmaster's process id
 * @param port the TCP port it listens on
 */
record PostmasterProcess(long pid, int port) {

    /** The postmaster named in {@code postmaster.pid} (1st line: pid, 4th line: port), whether it runs or not. */
    static Optional<PostmasterProcess> fromPidFile(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4 || !lines.get(0).strip().matches("\\d+") || !lines.get(3).strip().matches("\\d+")) {
                return Optional.empty();
            }
            return Optional.of(new PostmasterProcess(Long.parseLong(lines.get(0).strip()), Integer.parseInt(lines.get(3).strip())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();   // being written or removed right now
        }
    }

    boolean isAlive() {
        return isAlive(pid);
    }

    /** Whether the process runs: present and not a zombie (a killed process nobody has reaped yet is dead). */
    static boolean isAlive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (IOException e) {
            return !Files.isDirectory(Path.of("/proc")) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /**
     * Whether any live process still works in {@code dataDirectory} (a backend of a killed postmaster finishing its
     * query, say). A new postmaster must not start while one does. Without {@code /proc}, answers false.
     */
    static boolean anyProcessIn(Path dataDirectory) {
        Path dir;
        try {
            dir = dataDirectory.toRealPath();
        } catch (IOException e) {
            return false;
        }
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                try {
                    if (Files.readSymbolicLink(proc.resolve("cwd")).equals(dir) && isAlive(pid)) {
                        return true;
                    }
                } catch (IOException | SecurityException ignored) {
                    // gone meanwhile, or not ours to look at
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}

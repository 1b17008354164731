package studio.grounding.interchange;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The process running an import: host name, pid and the process's start time (a pid is reused after the process is
 * gone; the start time tells the two apart).
 */
record ImportRunOwner(String host, Long pid, Instant startedAt) {

    private static final Duration START_TIME_SLACK = Duration.ofSeconds(2);

    static ImportRunOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new ImportRunOwner(hostName(), self.pid(), self.info().startInstant().orElse(null));
    }

    /** Whether this owner is known to be gone, seen from {@code localHost} (another host's processes are unknown). */
    boolean isGoneOn(String localHost) {
        if (pid == null) {
            return true;
        }
        if (!localHost.equals(host)) {
            return false;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> startedAt != null && p.info().startInstant()
                        .map(s -> Duration.between(s, startedAt).abs().compareTo(START_TIME_SLACK) > 0).orElse(false))
                .orElse(true);
    }

    static String hostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).strip();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    record Run(long id, ImportRunOwner owner) {
    }
}

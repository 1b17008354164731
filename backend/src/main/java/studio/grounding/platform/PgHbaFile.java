package studio.grounding.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/** The embedded PostgreSQL's {@code pg_hba.conf}: who may connect how. */
final class PgHbaFile {

    private static final Pattern TRUST = Pattern.compile("^\\s*(local|host\\w*)\\s.*\\btrust\\s*$");

    static final String SCRAM_ONLY = """
            # Written by Grounding Studio: every connection needs the superuser's password (SCRAM), kept in the
            # platform's data directory (postgres-secret, mode 0600).
            # TYPE  DATABASE     USER  ADDRESS       METHOD
            local   all          all                 scram-sha-256
            host    all          all   127.0.0.1/32  scram-sha-256
            host    all          all   ::1/128       scram-sha-256
            local   replication  all                 scram-sha-256
            host    replication  all   127.0.0.1/32  scram-sha-256
            host    replication  all   ::1/128       scram-sha-256
            """;

    private PgHbaFile() {
    }

    /** Whether any rule lets a connection in without a password (as zonky's and older platform versions' do). */
    static boolean trustsAnyone(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve("pg_hba.conf");
        return Files.isRegularFile(file) && Files.readAllLines(file).stream().anyMatch(line -> TRUST.matcher(line).matches());
    }

    /** Replaces the rules by SCRAM for every connection (written beside and moved over, mode 0600). */
    static void writeScramOnly(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve("pg_hba.conf");
        Path temp = dataDirectory.resolve("pg_hba.conf.tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(DatabaseSecret.OWNER_ONLY));
        Files.writeString(temp, SCRAM_ONLY);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

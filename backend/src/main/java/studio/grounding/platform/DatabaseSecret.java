package studio.grounding.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The password of the embedded PostgreSQL's superuser, generated on first use and kept in a file only its owner can
 * read ({@code <data dir>/postgres-secret}, mode 0600). The server and the command-line jobs read the same file.
 * The value is never logged; {@link #toString()} does not show it.
 */
final class DatabaseSecret {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final String value;

    private DatabaseSecret(Path file, String value) {
        this.file = file;
        this.value = value;
    }

    /** The secret stored in {@code file}, if the file exists; its mode is narrowed to 0600 if it was wider. */
    static Optional<DatabaseSecret> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("The database secret file " + file.toAbsolutePath() + " is empty");
            }
            return Optional.of(new DatabaseSecret(file, value));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the database secret file " + file.toAbsolutePath(), e);
        }
    }

    /** Reads the secret in {@code file}, or generates one and writes it there (created with mode 0600, atomically). */
    static DatabaseSecret readOrCreate(Path file) {
        return read(file).orElseGet(() -> create(file));
    }

    private static DatabaseSecret create(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".postgres-secret", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(temp, value + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return new DatabaseSecret(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the database secret file " + file.toAbsolutePath(), e);
        }
    }

    Path file() {
        return file;
    }

    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "DatabaseSecret[" + file + "]";
    }
}

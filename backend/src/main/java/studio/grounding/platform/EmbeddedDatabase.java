package studio.grounding.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL 17 server the platform uses when no database is configured. Its data directory
 * is on disk, so nothing is lost on restart. When another process of the platform (the server while a
 * CLI job runs, say) already runs the server on the same directory, this one connects to it instead of
 * starting a second server.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String USER = "postgres";
    static final String DATABASE = "postgres";

    private final EmbeddedPostgres ownServer;
    private final String jdbcUrl;

    private EmbeddedDatabase(EmbeddedPostgres ownServer, String jdbcUrl) {
        this.ownServer = ownServer;
        this.jdbcUrl = jdbcUrl;
    }

    static EmbeddedDatabase startOrAttach(Path directory, int port, boolean clean) {
        try {
            Files.createDirectories(directory);
            if (!clean) {
                Optional<String> running = runningServerUrl(directory);
                if (running.isPresent()) {
                    log.info("Using the embedded PostgreSQL already running on {} ({})", directory, running.get());
                    return new EmbeddedDatabase(null, running.get());
                }
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(clean)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres server = builder.start();
            String url = "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + DATABASE;
            log.info("Started embedded PostgreSQL on {} with data in {}", url, directory.toAbsolutePath());
            return new EmbeddedDatabase(server, url);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + directory.toAbsolutePath(), e);
        }
    }

    /** The URL of a live server on this data directory, read from its {@code postmaster.pid} (4th line: the port). */
    static Optional<String> runningServerUrl(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4 || !lines.get(3).strip().matches("\\d+")) {
            return Optional.empty();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + lines.get(3).strip() + "/" + DATABASE;
        try (Connection ignored = DriverManager.getConnection(url, USER, "")) {
            return Optional.of(url);
        } catch (SQLException notRunning) {
            return Optional.empty();
        }
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    boolean ownsServer() {
        return ownServer != null;
    }

    @Override
    public void close() throws IOException {
        if (ownServer != null) {
            ownServer.close();
        }
    }
}

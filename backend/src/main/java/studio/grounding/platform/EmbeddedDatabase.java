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
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL 17 server the platform uses when no database is configured. Its data directory is on
 * disk and it runs durably (fsync, synchronous commit and full page writes on), so nothing acknowledged is lost on a
 * crash. Every connection needs the superuser's password ({@link DatabaseSecret}, SCRAM). When another process of the
 * platform (the server while a CLI job runs, say) already runs the server on the same directory, this one connects to
 * it instead of starting a second server; a server left behind by a killed platform process is stopped and started
 * anew. {@link #restart()} brings a server that died back on the same directory and port.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String USER = "postgres";
    static final String DATABASE = "postgres";
    private static final Duration FIRST_START_WAIT = Duration.ofSeconds(60);
    private static final Duration RESTART_WAIT = Duration.ofSeconds(20);

    /** How the server is started. */
    record Settings(Path directory, Path secretFile, Path ownerFile, int port, boolean clean, boolean durable) {

        Map<String, String> serverConfig() {
            String on = durable ? "on" : "off";
            return Map.of("listen_addresses", "127.0.0.1", "max_connections", "100",
                    "fsync", on, "synchronous_commit", on, "full_page_writes", on,
                    "password_encryption", "scram-sha-256");
        }
    }

    private final Settings settings;
    private final String password;
    private final int port;
    private final String jdbcUrl;
    private final boolean attached;
    private final EmbeddedDatabaseOwner owner;
    private volatile EmbeddedPostgres ownServer;
    private volatile long postmasterPid;
    private volatile boolean closed;

    private EmbeddedDatabase(Settings settings, String password, int port, boolean attached, EmbeddedPostgres ownServer) {
        this.settings = settings;
        this.password = password;
        this.port = port;
        this.jdbcUrl = "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
        this.attached = attached;
        this.ownServer = ownServer;
        this.owner = new EmbeddedDatabaseOwner(settings.ownerFile());
        this.postmasterPid = PostmasterProcess.fromPidFile(settings.directory()).map(PostmasterProcess::pid).orElse(-1L);
    }

    static EmbeddedDatabase startOrAttach(Settings settings) {
        Path directory = settings.directory();
        try {
            if (settings.clean()) {
                deleteRecursively(directory);
                Files.deleteIfExists(settings.secretFile());
            }
            Files.createDirectories(directory);
            Optional<PostmasterProcess> running = PostmasterProcess.fromPidFile(directory).filter(PostmasterProcess::isAlive);
            if (running.isPresent()) {
                if (new EmbeddedDatabaseOwner(settings.ownerFile()).ownerIsGone()) {
                    log.warn("The embedded PostgreSQL on {} was left running by a platform process that is gone: restarting it",
                            directory.toAbsolutePath());
                    stopOrphan(running.get(), directory);
                } else {
                    return attach(settings, running.get());
                }
            }
            return startOwn(settings, settings.port(), FIRST_START_WAIT);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + directory.toAbsolutePath(), e);
        }
    }

    private static EmbeddedDatabase attach(Settings settings, PostmasterProcess running) {
        // a server of an older version still trusts local connections: the empty password works until it is restarted
        String password = DatabaseSecret.read(settings.secretFile()).map(DatabaseSecret::value).orElse("");
        String url = "jdbc:postgresql://127.0.0.1:" + running.port() + "/" + DATABASE;
        try (Connection ignored = connect(url, password)) {
            log.info("Using the embedded PostgreSQL already running on {} ({})", settings.directory(), url);
        } catch (SQLException e) {
            throw new IllegalStateException("The embedded PostgreSQL running on " + settings.directory().toAbsolutePath()
                    + " (pid " + running.pid() + ") refused the connection with the password in "
                    + settings.secretFile().toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return new EmbeddedDatabase(settings, password, running.port(), true, null);
    }

    private static EmbeddedDatabase startOwn(Settings settings, int port, Duration wait) throws IOException {
        Path directory = settings.directory();
        boolean fresh = !Files.exists(directory.resolve("PG_VERSION"));
        boolean trusting = !fresh && PgHbaFile.trustsAnyone(directory);
        if (!fresh && !trusting && !Files.isRegularFile(settings.secretFile())) {
            throw new IllegalStateException("The embedded PostgreSQL in " + directory.toAbsolutePath()
                    + " requires a password but its secret file " + settings.secretFile().toAbsolutePath() + " is missing");
        }
        DatabaseSecret secret = DatabaseSecret.readOrCreate(settings.secretFile());
        EmbeddedPostgres server = start(settings, port, secret, wait);
        EmbeddedDatabase database = new EmbeddedDatabase(settings, secret.value(), server.getPort(), false, server);
        try {
            if (trusting) {
                database.requirePasswords();
            }
            database.owner.claim();
        } catch (SQLException | IOException | RuntimeException e) {
            database.close();
            throw new IllegalStateException("Could not secure the embedded PostgreSQL in " + directory.toAbsolutePath(), e);
        }
        log.info("Started embedded PostgreSQL on {} with data in {} ({})", database.jdbcUrl, directory.toAbsolutePath(),
                settings.durable() ? "durable" : "fsync off: tests only");
        return database;
    }

    private static EmbeddedPostgres start(Settings settings, int port, DatabaseSecret secret, Duration wait) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(settings.directory())
                // the platform cleans (tests only) itself: zonky would wipe the directory on every restart's close
                .setCleanDataDirectory(false)
                .setPGStartupWait(wait)
                // stopped by the Spring context (which stops the supervisor first), never behind its back
                .setRegisterShutdownHook(false)
                // a fresh cluster is created with the password and SCRAM for every connection, never trusting anyone
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", secret.file().toAbsolutePath().toString())
                .setConnectConfig("password", secret.value());
        settings.serverConfig().forEach(builder::setServerConfig);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /** Migrates a server of an older version that trusted local connections: password, SCRAM-only pg_hba, reload. */
    private void requirePasswords() throws SQLException, IOException {
        try (Connection connection = connect(jdbcUrl, password)) {
            connection.unwrap(org.postgresql.PGConnection.class).alterUserPassword(USER, password.toCharArray(), "scram-sha-256");
            PgHbaFile.writeScramOnly(settings.directory());
            try (var statement = connection.createStatement()) {
                statement.execute("select pg_reload_conf()");
            }
        }
        waitUntilPasswordsRequired();
        log.warn("The embedded PostgreSQL in {} trusted local connections (older version): it now requires the password"
                + " kept in {}", settings.directory().toAbsolutePath(), settings.secretFile().toAbsolutePath());
    }

    private void waitUntilPasswordsRequired() throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Connection ignored = connect(jdbcUrl, "")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The embedded PostgreSQL still accepts connections without a password");
                }
            } catch (SQLException refused) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
            }
        }
    }

    static Connection connect(String url, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url, properties);
    }

    private static void stopOrphan(PostmasterProcess orphan, Path directory) throws IOException {
        // fast shutdown (SIGINT): clients are disconnected, committed work is kept, the checkpoint is written
        signal(orphan.pid(), "INT");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (orphan.isAlive() || PostmasterProcess.anyProcessIn(directory)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("The orphaned embedded PostgreSQL (pid " + orphan.pid() + ") did not stop in 30 s");
            }
            sleep(100);
        }
    }

    static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Whether the server this process uses still runs. */
    boolean isServerAlive() {
        long pid = postmasterPid;
        if (pid <= 0) {
            pid = PostmasterProcess.fromPidFile(settings.directory()).map(PostmasterProcess::pid).orElse(-1L);
            postmasterPid = pid;
        }
        return pid > 0 && PostmasterProcess.isAlive(pid);
    }

    /**
     * Starts the server again on the same data directory and port after it died (the pool's connections then work
     * again), once every process of the dead one is gone. This process owns the new server.
     *
     * @throws IOException if it cannot start yet (the caller retries)
     */
    synchronized void restart() throws IOException {
        if (closed) {
            throw new IOException("the embedded PostgreSQL is shut down with the platform");
        }
        if (isServerAlive()) {
            return;
        }
        if (PostmasterProcess.anyProcessIn(settings.directory())) {
            throw new IOException("processes of the dead PostgreSQL still run in " + settings.directory());
        }
        closeOwnServer();
        removeStalePidFile();
        DatabaseSecret secret = DatabaseSecret.read(settings.secretFile()).orElseThrow(() -> new IOException(
                "the database secret file " + settings.secretFile().toAbsolutePath() + " is missing"));
        EmbeddedPostgres server = start(settings, port, secret, RESTART_WAIT);
        ownServer = server;
        owner.claim();
        postmasterPid = PostmasterProcess.fromPidFile(settings.directory()).map(PostmasterProcess::pid).orElse(-1L);
        log.warn("Restarted the embedded PostgreSQL on {} with data in {}", jdbcUrl, settings.directory().toAbsolutePath());
    }

    private void removeStalePidFile() throws IOException {
        // PostgreSQL refuses to start while the pid in it exists, and a killed process left unreaped still does
        Optional<PostmasterProcess> stale = PostmasterProcess.fromPidFile(settings.directory());
        if (stale.isPresent() && !stale.get().isAlive()) {
            Files.deleteIfExists(settings.directory().resolve("postmaster.pid"));
        }
    }

    private void closeOwnServer() {
        EmbeddedPostgres server = ownServer;
        ownServer = null;
        if (server != null) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the dead embedded PostgreSQL: {}", e.toString());
            }
        }
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String password() {
        return password;
    }

    int port() {
        return port;
    }

    Path directory() {
        return settings.directory();
    }

    long postmasterPid() {
        return postmasterPid;
    }

    boolean ownsServer() {
        return ownServer != null;
    }

    boolean attached() {
        return attached;
    }

    @Override
    public synchronized void close() {
        closed = true;
        boolean owned = ownServer != null;
        closeOwnServer();
        if (owned) {
            try {
                owner.release();
            } catch (IOException e) {
                log.debug("Could not remove {}: {}", settings.ownerFile(), e.toString());
            }
        }
        if (owned && settings.clean()) {
            deleteRecursively(settings.directory());
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("Could not delete {}: {}", directory, e.toString());
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

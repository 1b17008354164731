package studio.grounding.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL refuses connections without the password (none, or a wrong one), over TCP on loopback; the
 * password is generated into a 0600 file the CLI reads to attach; a data directory of an older version (trust) is
 * migrated on start without losing data.
 */
class EmbeddedDatabaseAuthenticationTest {

    @TempDir
    Path dataDir;

    EmbeddedDatabase.Settings settings() {
        return new EmbeddedDatabase.Settings(dataDir.resolve("postgres"), dataDir.resolve("postgres-secret"),
                dataDir.resolve("postgres-owner"), 0, false, false);
    }

    @Test
    void aFreshServerRefusesConnectionsWithoutTheGeneratedPasswordAndAnAttachingProcessUsesIt() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.startOrAttach(settings())) {
            Path secret = dataDir.resolve("postgres-secret");
            assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(DatabaseSecret.OWNER_ONLY);
            String password = Files.readString(secret).strip();
            assertThat(password).hasSizeGreaterThanOrEqualTo(40);

            assertRefused(db.jdbcUrl(), null);
            assertRefused(db.jdbcUrl(), "");
            assertRefused(db.jdbcUrl(), password + "x");
            assertThat(query(db.jdbcUrl(), password, "show password_encryption")).isEqualTo("scram-sha-256");
            assertThat(Files.readString(db.directory().resolve("pg_hba.conf"))).doesNotContainPattern("(?m)^[^#]*\\btrust\\b");

            // the CLI's way in: a second process on the same data directory attaches with the secret file
            try (EmbeddedDatabase attached = EmbeddedDatabase.startOrAttach(settings())) {
                assertThat(attached.attached()).isTrue();
                assertThat(attached.jdbcUrl()).isEqualTo(db.jdbcUrl());
                assertThat(query(attached.jdbcUrl(), attached.password(), "select 1")).isEqualTo("1");
            }
            assertThat(db.isServerAlive()).as("closing the attached one leaves the server running").isTrue();
        }
    }

    @Test
    void aDataDirectoryOfAnOlderVersionThatTrustedEveryoneIsMigratedWithItsData() throws Exception {
        Path pgDir = dataDir.resolve("postgres");
        Files.createDirectories(pgDir);
        // what earlier platform versions did: zonky's defaults, trust for every local connection
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table kept (v text)");
            s.execute("insert into kept values ('before the upgrade')");
        }
        assertThat(PgHbaFile.trustsAnyone(pgDir)).isTrue();

        try (EmbeddedDatabase db = EmbeddedDatabase.startOrAttach(settings())) {
            String password = Files.readString(dataDir.resolve("postgres-secret")).strip();
            assertRefused(db.jdbcUrl(), "");
            assertThat(query(db.jdbcUrl(), password, "select v from kept")).isEqualTo("before the upgrade");
            assertThat(PgHbaFile.trustsAnyone(pgDir)).isFalse();
            assertThat(Files.getPosixFilePermissions(pgDir.resolve("pg_hba.conf"))).isEqualTo(DatabaseSecret.OWNER_ONLY);
        }
        // and the next start uses the secured directory as it is
        try (EmbeddedDatabase db = EmbeddedDatabase.startOrAttach(settings())) {
            assertRefused(db.jdbcUrl(), "");
            assertThat(query(db.jdbcUrl(), db.password(), "select v from kept")).isEqualTo("before the upgrade");
        }
    }

    @Test
    void aSecuredDirectoryWhoseSecretFileIsGoneIsAClearError() throws Exception {
        try (EmbeddedDatabase ignored = EmbeddedDatabase.startOrAttach(settings())) {
            // started and stopped once
        }
        Files.delete(dataDir.resolve("postgres-secret"));
        assertThatThrownBy(() -> EmbeddedDatabase.startOrAttach(settings()))
                .hasMessageContaining("requires a password").hasMessageContaining("postgres-secret");
    }

    static void assertRefused(String url, String password) {
        Properties p = new Properties();
        p.setProperty("user", EmbeddedDatabase.USER);
        if (password != null) {
            p.setProperty("password", password);
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url, p).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
    }

    static String query(String url, String password, String sql) throws SQLException {
        try (Connection c = EmbeddedDatabase.connect(url, password); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}

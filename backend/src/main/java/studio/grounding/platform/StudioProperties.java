package studio.grounding.platform;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the platform itself.
 *
 * @param dataDir  where the embedded database and the image store live ({@code STUDIO_DATA_DIR}, default {@code ./data})
 * @param embeddedDatabase settings of the embedded PostgreSQL used when no {@code spring.datasource.url} is set
 */
@ConfigurationProperties("studio")
public record StudioProperties(Path dataDir, EmbeddedDatabase embeddedDatabase) {

    public StudioProperties {
        if (dataDir == null) {
            dataDir = Path.of("data");
        }
        if (embeddedDatabase == null) {
            embeddedDatabase = new EmbeddedDatabase(0, false, null);
        }
    }

    /**
     * @param port  TCP port on loopback, 0 for any free port
     * @param clean wipe the database directory on start (tests only)
     * @param durable fsync, synchronous commit and full page writes on (default); {@code false} only for tests
     */
    public record EmbeddedDatabase(int port, boolean clean, Boolean durable) {

        public EmbeddedDatabase {
            if (durable == null) {
                durable = true;
            }
        }
    }
}

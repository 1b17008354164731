package studio.grounding.platform;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@code /actuator/health} component {@code embeddedDatabase}: DOWN while the supervisor restarts the server. */
final class EmbeddedDatabaseHealthIndicator implements HealthIndicator {

    private final EmbeddedDatabase database;
    private final EmbeddedDatabaseSupervisor supervisor;

    EmbeddedDatabaseHealthIndicator(EmbeddedDatabase database, EmbeddedDatabaseSupervisor supervisor) {
        this.database = database;
        this.supervisor = supervisor;
    }

    @Override
    public Health health() {
        Health.Builder health = supervisor.isDown() || !database.isServerAlive()
                ? Health.down().withDetail("downSince", String.valueOf(supervisor.downSince()))
                : Health.up();
        health.withDetail("port", database.port()).withDetail("restarts", supervisor.restarts());
        if (supervisor.lastFailure() != null) {
            health.withDetail("lastRestartFailure", supervisor.lastFailure());
        }
        return health.build();
    }
}

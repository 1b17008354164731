package studio.grounding.platform;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With no {@code spring.datasource.url} configured, the platform runs on an embedded PostgreSQL whose data
 * directory is {@code <data dir>/postgres}, its password in {@code <data dir>/postgres-secret}, supervised (restarted
 * when it dies). With the standard {@code SPRING_DATASOURCE_*} settings, Spring Boot's own data source is used and
 * this configuration steps aside.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(StudioProperties properties) {
        Path dataDir = properties.dataDir();
        StudioProperties.EmbeddedDatabase embedded = properties.embeddedDatabase();
        return EmbeddedDatabase.startOrAttach(new EmbeddedDatabase.Settings(dataDir.resolve("postgres"),
                dataDir.resolve("postgres-secret"), dataDir.resolve("postgres-owner"), embedded.port(), embedded.clean(),
                embedded.durable()));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    EmbeddedDatabaseSupervisor embeddedDatabaseSupervisor(EmbeddedDatabase database) {
        return new EmbeddedDatabaseSupervisor(database);
    }

    @Bean
    EmbeddedDatabaseHealthIndicator embeddedDatabaseHealthIndicator(EmbeddedDatabase database,
                                                                    EmbeddedDatabaseSupervisor supervisor) {
        return new EmbeddedDatabaseHealthIndicator(database, supervisor);
    }

    @Bean
    DataSource dataSource(EmbeddedDatabase database, EmbeddedDatabaseSupervisor supervisor) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.jdbcUrl());
        dataSource.setUsername(EmbeddedDatabase.USER);
        dataSource.setPassword(database.password());
        dataSource.setMaximumPoolSize(10);
        // while the server is restarted, a request fails within 3 s (and is answered 503), not after 30 s
        dataSource.setConnectionTimeout(3_000);
        dataSource.setValidationTimeout(1_000);
        dataSource.setPoolName("studio-embedded");
        return dataSource;
    }
}

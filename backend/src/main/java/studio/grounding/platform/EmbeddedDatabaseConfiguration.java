package studio.grounding.platform;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With no {@code spring.datasource.url} configured, the platform runs on an embedded PostgreSQL whose data
 * directory is {@code <data dir>/postgres}. With the standard {@code SPRING_DATASOURCE_*} settings, Spring
 * Boot's own data source is used and this configuration steps aside.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(StudioProperties properties) {
        return EmbeddedDatabase.startOrAttach(properties.dataDir().resolve("postgres"),
                properties.embeddedDatabase().port(), properties.embeddedDatabase().clean());
    }

    @Bean
    DataSource dataSource(EmbeddedDatabase database) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.jdbcUrl());
        dataSource.setUsername(EmbeddedDatabase.USER);
        dataSource.setPassword("");
        dataSource.setMaximumPoolSize(10);
        dataSource.setPoolName("studio-embedded");
        return dataSource;
    }
}

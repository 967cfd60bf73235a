package io.archipelago.coordinator.database;

import com.zaxxer.hikari.HikariDataSource;
import io.archipelago.embedded.postgres.EmbeddedPostgresServer;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The coordinator's one DataSource. Without {@code DATABASE_URL} an embedded PostgreSQL starts on
 * {@code ${archipelago.data-dir}/postgres} at {@code archipelago.postgres.port} (refused when another process holds
 * that port, so two coordinators on one machine never share a database; each logs in with the password kept in its
 * data directory, {@value EmbeddedPostgresServer#PASSWORD_FILE}); with it, nothing embedded starts and
 * the URL (user and password possibly from {@code DATABASE_USER} / {@code DATABASE_PASSWORD}) is used as given.
 * Spring destroys beans in reverse dependency order, so the pool closes before the embedded server stops, and both
 * after Axon's event processors (lifecycle beans) have stopped.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    private static final String EMBEDDED = "'${DATABASE_URL:}'.isBlank()";

    @Bean
    @ConditionalOnExpression(EMBEDDED)
    EmbeddedPostgresServer embeddedPostgres(@Value("${archipelago.data-dir:./data}") Path dataDirectory,
                                            @Value("${archipelago.postgres.port:54329}") int port,
                                            @Value("${archipelago.postgres.durable:true}") boolean durable) {
        return EmbeddedPostgresServer.start(dataDirectory.resolve("postgres"), port, durable);
    }

    @Bean
    @ConditionalOnExpression(EMBEDDED)
    DatabaseEndpoint embeddedDatabaseEndpoint(EmbeddedPostgresServer embeddedPostgres) {
        return new DatabaseEndpoint(embeddedPostgres.jdbcUrl(), embeddedPostgres.user(), embeddedPostgres.password());
    }

    @Bean
    @ConditionalOnExpression("!" + EMBEDDED)
    DatabaseEndpoint externalDatabaseEndpoint(Environment environment) {
        return DatabaseEndpoint.fromUrl(environment.getRequiredProperty("DATABASE_URL"),
                environment.getProperty("DATABASE_USER"), environment.getProperty("DATABASE_PASSWORD"));
    }

    /** Pool settings bind from {@code spring.datasource.hikari.*}, as with Spring Boot's own DataSource. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DatabaseEndpoint endpoint) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("archipelago");
        dataSource.setJdbcUrl(endpoint.jdbcUrl());
        dataSource.setUsername(endpoint.username());
        dataSource.setPassword(endpoint.password());
        return dataSource;
    }
}

package io.archipelago.projections;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One real PostgreSQL per test JVM with the read model tables migrated by the projections' own Flyway scripts;
 * {@link #clean()} empties them between tests.
 */
public final class ReadModelDatabase {

    private static EmbeddedPostgres postgres;

    private ReadModelDatabase() {
    }

    public static synchronized JdbcClient jdbc() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException failed) {
                throw new UncheckedIOException(failed);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(ReadModelDatabase::stop));
            Flyway.configure().dataSource(postgres.getPostgresDatabase())
                    .locations("classpath:db/migration/projections").load().migrate();
        }
        return JdbcClient.create(postgres.getPostgresDatabase());
    }

    /** The database itself, for tests that need its connections. */
    public static DataSource dataSource() {
        jdbc();
        return postgres.getPostgresDatabase();
    }

    /** The read models' writes on the same database, at once (no replay runs here). */
    public static ReadModelWrites writes() {
        jdbc();
        return new ReadModelWrites(new NamedParameterJdbcTemplate(postgres.getPostgresDatabase()));
    }

    public static void clean() {
        jdbc().sql("TRUNCATE job_view, account_balance_view, market_view, market_ask, market_resting_bid").update();
    }

    private static void stop() {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // the JVM is exiting; the temporary data directory goes with it
        }
    }
}

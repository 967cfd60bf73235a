package io.archipelago.coordinator.axon;

import java.sql.SQLException;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Recognises PostgreSQL's unique violation ({@code 23505}) so that two nodes appending the same sequence number of
 * an aggregate give the loser a {@code ConcurrencyException}. Axon's {@code JdbcSQLErrorCodesResolver} looks for
 * {@code SQLIntegrityConstraintViolationException}, which the PostgreSQL driver never throws: without this the loser
 * would get a non-transient {@code EventStoreException} and no retry.
 */
final class PostgresDuplicateKeyResolver implements PersistenceExceptionResolver {

    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        return Causes.anyMatch(exception,
                cause -> cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState()));
    }
}

package io.archipelago.projections;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A data source that runs every statement on the real one and remembers each query with the parameters it was
 * bound with, so that a test can ask PostgreSQL for the plan of exactly what a reader class ran.
 */
final class RecordedQueries {

    /** A query as it was sent: its SQL with {@code ?} placeholders and the setter calls that bound them. */
    record Query(String sql, List<Binding> bindings) {

        /** The plan PostgreSQL chooses for it with these parameters, as {@code EXPLAIN (FORMAT JSON)} gives it. */
        String plan(DataSource database) throws SQLException {
            try (Connection connection = database.getConnection();
                 PreparedStatement explain = connection.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
                for (Binding binding : bindings) {
                    binding.applyTo(explain);
                }
                try (ResultSet plan = explain.executeQuery()) {
                    plan.next();
                    return plan.getString(1);
                }
            }
        }
    }

    record Binding(Method setter, Object[] arguments) {

        void applyTo(PreparedStatement statement) throws SQLException {
            try {
                setter.invoke(statement, arguments);
            } catch (IllegalAccessException | InvocationTargetException failed) {
                throw new SQLException("cannot bind " + setter.getName(), failed);
            }
        }
    }

    private final DataSource database;
    private final List<Query> queries = new ArrayList<>();

    RecordedQueries(DataSource database) {
        this.database = database;
    }

    DataSource dataSource() {
        return proxy(DataSource.class, database, (method, arguments, result) -> result instanceof Connection
                ? proxy(Connection.class, result, this::statements) : result);
    }

    /** The queries run since the last call, oldest first. */
    synchronized List<Query> take() {
        List<Query> taken = List.copyOf(queries);
        queries.clear();
        return taken;
    }

    private Object statements(Method method, Object[] arguments, Object result) {
        if (!(result instanceof PreparedStatement) || !method.getName().equals("prepareStatement")) {
            return result;
        }
        String sql = (String) arguments[0];
        List<Binding> bindings = new ArrayList<>();
        return proxy(PreparedStatement.class, result, (call, values, returned) -> {
            if (call.getName().startsWith("set") && values != null && values.length >= 2
                    && values[0] instanceof Integer) {
                bindings.add(new Binding(call, values.clone()));
            } else if (call.getName().equals("executeQuery") || call.getName().equals("execute")) {
                record(new Query(sql, List.copyOf(bindings)));
            }
            return returned;
        });
    }

    private synchronized void record(Query query) {
        queries.add(query);
    }

    @FunctionalInterface
    private interface AfterCall {
        Object wrap(Method method, Object[] arguments, Object result) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Object target, AfterCall after) {
        Object proxy = Proxy.newProxyInstance(RecordedQueries.class.getClassLoader(), new Class<?>[] {type},
                (self, method, arguments) -> {
                    Object result;
                    try {
                        result = method.invoke(target, arguments);
                    } catch (InvocationTargetException failed) {
                        throw failed.getCause();
                    }
                    return after.wrap(method, arguments, result);
                });
        return type.cast(proxy);
    }
}

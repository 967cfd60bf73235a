package io.archipelago.coordinator.axon;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Looks through a failure's causes, and through the chained exceptions a JDBC batch reports its failures in. */
final class Causes {

    private Causes() {
    }

    static boolean anyMatch(Throwable failure, Predicate<Throwable> test) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.push(failure);
        while (!pending.isEmpty()) {
            Throwable next = pending.pop();
            if (seen.put(next, Boolean.TRUE) != null) {
                continue;
            }
            if (test.test(next)) {
                return true;
            }
            if (next.getCause() != null) {
                pending.push(next.getCause());
            }
            if (next instanceof SQLException sql && sql.getNextException() != null) {
                pending.push(sql.getNextException());
            }
        }
        return false;
    }
}

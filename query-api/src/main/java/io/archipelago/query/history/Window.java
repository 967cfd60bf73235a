package io.archipelago.query.history;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a list request selects: the time range {@code [from, to)} within years 1 to 9999 (from 1970 to the end of
 * time when left out) and the page ({@code offset}, {@code limit} up to {@value #MAX_LIMIT}).
 */
record Window(Instant from, Instant to, int offset, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    private static final Instant START_OF_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z");

    Window {
        if (from.isBefore(START_OF_TIME) || to.isAfter(END_OF_TIME)) {
            throw new IllegalArgumentException("from and to lie between " + START_OF_TIME + " and " + END_OF_TIME
                    + " (ISO-8601 or milliseconds since 1970), got from " + from + ", to " + to);
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    static Window of(@Nullable Instant from, @Nullable Instant to, @Nullable Integer offset, @Nullable Integer limit) {
        return new Window(from == null ? Instant.EPOCH : from, to == null ? END_OF_TIME : to,
                offset == null ? 0 : offset, limit == null ? DEFAULT_LIMIT : limit);
    }
}

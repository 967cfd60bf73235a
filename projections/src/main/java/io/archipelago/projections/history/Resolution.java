package io.archipelago.projections.history;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The width of a candle; buckets start at whole UTC minutes, hours or days. */
public enum Resolution {
    MINUTE("1m", ChronoUnit.MINUTES),
    HOUR("1h", ChronoUnit.HOURS),
    DAY("1d", ChronoUnit.DAYS);

    private final String code;
    private final ChronoUnit unit;

    Resolution(String code, ChronoUnit unit) {
        this.code = code;
        this.unit = unit;
    }

    /** {@code 1m}, {@code 1h} or {@code 1d}, as the API and the table name it. */
    public String code() {
        return code;
    }

    Instant bucketOf(Instant at) {
        return at.truncatedTo(unit);
    }

    /** The resolution named {@code code}. */
    public static Resolution of(String code) {
        for (Resolution resolution : values()) {
            if (resolution.code.equals(code)) {
                return resolution;
            }
        }
        throw new IllegalArgumentException("unknown resolution " + code + ": use 1m, 1h or 1d");
    }
}

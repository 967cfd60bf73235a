package io.archipelago.exchange.ids;

import java.util.regex.Pattern;

/** Identifies an Island: 1–64 characters of letters, digits, '-', '_' or '.'. */
public record IslandId(String value) implements Comparable<IslandId> {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public IslandId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("an island id is 1-64 letters, digits, '.', '_' or '-', got " + value);
        }
    }

    @Override
    public int compareTo(IslandId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

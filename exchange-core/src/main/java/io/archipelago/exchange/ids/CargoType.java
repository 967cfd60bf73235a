package io.archipelago.exchange.ids;

import java.util.regex.Pattern;

/**
 * A kind of workload traded on its own market, e.g. {@code llm.chat.llama3-8b}: 1–96 lower-case letters, digits,
 * '.', '_' or '-', starting with a letter.
 */
public record CargoType(String value) implements Comparable<CargoType> {

    private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9._-]{0,95}");

    public CargoType {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a cargo type is 1-96 lower-case letters, digits, '.', '_' or '-' "
                    + "starting with a letter, got " + value);
        }
    }

    @Override
    public int compareTo(CargoType other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

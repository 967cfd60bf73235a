package io.archipelago.exchange.ids;

import java.util.Locale;
import java.util.Set;

/** An ISO 3166-1 alpha-2 country code, upper case: where an Island runs or a consumer lives. */
public record Country(String code) implements Comparable<Country> {

    private static final Set<String> ISO_CODES = Set.of(Locale.getISOCountries());

    public Country {
        if (code == null || !ISO_CODES.contains(code)) {
            throw new IllegalArgumentException("a country is an ISO 3166-1 alpha-2 code such as DE or CH, got " + code);
        }
    }

    public static Country of(String code) {
        return new Country(code);
    }

    @Override
    public int compareTo(Country other) {
        return code.compareTo(other.code);
    }

    @Override
    public String toString() {
        return code;
    }
}

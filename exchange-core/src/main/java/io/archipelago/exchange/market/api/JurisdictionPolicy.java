package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.Country;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a job may run: a hard constraint, never relaxed. {@code name} says how it was chosen ({@code EU}, {@code CH},
 * {@code REGION:DE}, {@code COUNTRIES}); {@code countries} is the resolved, non-empty set an Island's country must be
 * in. Bids record the resolved set so an auditor needs nothing else.
 */
public record JurisdictionPolicy(String name, Set<Country> countries) {

    private static final Set<Country> EU = countries("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
            "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");
    private static final Set<Country> NORTH_AMERICA = countries("US", "CA");
    private static final Set<Country> UK = countries("GB");

    public JurisdictionPolicy {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a jurisdiction policy has a name");
        }
        if (countries == null || countries.isEmpty()) {
            throw new IllegalArgumentException("a jurisdiction policy allows at least one country");
        }
        countries = Set.copyOf(countries);
    }

    public static JurisdictionPolicy eu() {
        return new JurisdictionPolicy("EU", EU);
    }

    public static JurisdictionPolicy ch() {
        return new JurisdictionPolicy("CH", countries("CH"));
    }

    public static JurisdictionPolicy countries(Set<Country> countries) {
        return new JurisdictionPolicy("COUNTRIES", countries);
    }

    /**
     * The default: hosts in the consumer's region. EU members stay in the EU, US and Canada in North America,
     * the United Kingdom and Switzerland each on their own; elsewhere, the consumer's own country.
     */
    public static JurisdictionPolicy regionOf(Country home) {
        Set<Country> region = EU.contains(home) ? EU
                : NORTH_AMERICA.contains(home) ? NORTH_AMERICA
                : UK.contains(home) ? UK
                : Set.of(home);
        return new JurisdictionPolicy("REGION:" + home.code(), region);
    }

    /** Parses {@code EU}, {@code CH} or a comma-separated list of country codes such as {@code DE,FR}. */
    public static JurisdictionPolicy parse(String text) {
        String trimmed = text.trim().toUpperCase();
        if (trimmed.equals("EU")) {
            return eu();
        }
        if (trimmed.equals("CH")) {
            return ch();
        }
        return countries(Stream.of(trimmed.split(",")).map(String::trim).map(Country::of)
                .collect(Collectors.toSet()));
    }

    public boolean allows(Country country) {
        return countries.contains(country);
    }

    /**
     * This policy narrowed to the countries {@code binding} also allows: this policy itself when all of its countries
     * are in {@code binding}, {@code binding} when the countries in both are all of its, otherwise the countries in
     * both as a list; empty when the two share no country.
     */
    public Optional<JurisdictionPolicy> within(JurisdictionPolicy binding) {
        Set<Country> both = countries.stream().filter(binding::allows).collect(Collectors.toUnmodifiableSet());
        if (both.isEmpty()) {
            return Optional.empty();
        }
        if (both.size() == countries.size()) {
            return Optional.of(this);
        }
        return Optional.of(both.size() == binding.countries.size() ? binding : countries(both));
    }

    /** The name and, when it does not say them, the countries in code order: {@code CH}, {@code EU (AT,BE,..)}. */
    public String describe() {
        String codes = String.join(",", sortedCountries().stream().map(Country::code).toList());
        return name.equals("COUNTRIES") || name.equals(codes) ? codes : name + " (" + codes + ")";
    }

    /** The allowed countries in code order, for display and stable hashing. */
    public Set<Country> sortedCountries() {
        return new TreeSet<>(countries);
    }

    private static Set<Country> countries(String... codes) {
        return Stream.of(codes).map(Country::of).collect(Collectors.toUnmodifiableSet());
    }
}

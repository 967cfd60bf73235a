package io.archipelago.exchange.ids;

import java.util.regex.Pattern;

/**
 * Identifies an account: a consumer's, a host's, a Cargo publisher's, or the platform's own ({@link #PLATFORM}).
 * 1–64 characters of letters, digits, '-', '_' or '.'.
 */
public record AccountId(String value) implements Comparable<AccountId> {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Where platform fees accrue. */
    public static final AccountId PLATFORM = new AccountId("platform");

    public AccountId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("an account id is 1-64 letters, digits, '.', '_' or '-', got " + value);
        }
    }

    @Override
    public int compareTo(AccountId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

package io.archipelago.exchange.rollout.api;

import java.util.regex.Pattern;

/**
 * Identifies a rollout by the model name consumers ask for while it runs, e.g. {@code llm.chat}: shaped as a Cargo
 * type (1-96 lower-case letters, digits, '.', '_' or '-', starting with a letter). A rollout across Cargo types has a
 * name that is none of them; a rollout across the versions of one Cargo type has that type's name.
 */
public record RolloutId(String value) {

    private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9._-]{0,95}");

    public RolloutId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a rollout's model name is 1-96 lower-case letters, digits, '.', '_' "
                    + "or '-' starting with a letter, got " + value);
        }
    }

    /** Whether {@code value} has a rollout id's form: a name no rollout can have is not looked up. */
    public static boolean wellFormed(String value) {
        return value != null && FORM.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}

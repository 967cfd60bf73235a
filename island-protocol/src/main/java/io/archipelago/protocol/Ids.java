package io.archipelago.protocol;

import java.util.regex.Pattern;

/** The form of Island, job and Cargo ids on the wire: the exchange's own forms, checked again at the border. */
final class Ids {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CARGO = Pattern.compile("[a-z][a-z0-9._-]{0,95}");

    private Ids() {
    }

    static String id(String what, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " is 1-64 letters, digits, '.', '_' or '-', got " + value);
        }
        return value;
    }

    static String cargo(String value) {
        if (value == null || !CARGO.matcher(value).matches()) {
            throw new IllegalArgumentException("a cargo type is 1-96 lower-case letters, digits, '.', '_' or '-', got "
                    + value);
        }
        return value;
    }
}

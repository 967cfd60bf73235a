package io.archipelago.access;

/**
 * Who sent a request, as the access filter leaves it on the request under {@value #ATTRIBUTE}. An account key's
 * account is under {@value #ACCOUNT_ATTRIBUTE} as an {@code AccountId}; the operator has none.
 */
public enum Principal {

    /** The exchange's operator, holding the operator token: may do everything. */
    OPERATOR,

    /** An account's API key: may act only as that account. */
    ACCOUNT;

    /** The request attribute holding the {@link Principal} of an authenticated request. */
    public static final String ATTRIBUTE = "archipelago.principal";

    /** The request attribute holding the {@code AccountId} of a request authenticated by an account's key. */
    public static final String ACCOUNT_ATTRIBUTE = "archipelago.account";
}

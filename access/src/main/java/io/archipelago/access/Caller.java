package io.archipelago.access;

import io.archipelago.exchange.ids.AccountId;
import org.jspecify.annotations.Nullable;

/** An authenticated caller: the operator, or a key of an account. */
record Caller(Principal principal, @Nullable AccountId account) {

    static final Caller OPERATOR = new Caller(Principal.OPERATOR, null);

    static Caller key(ApiKeys.Key key) {
        return new Caller(Principal.ACCOUNT, key.account());
    }

    boolean isOperator() {
        return principal == Principal.OPERATOR;
    }

    /** Whether the caller is the key of account {@code id}. */
    boolean is(@Nullable String id) {
        return account != null && account.value().equals(id);
    }
}

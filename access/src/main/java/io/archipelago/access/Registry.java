package io.archipelago.access;

import io.archipelago.exchange.ids.AccountId;
import java.util.Optional;

/**
 * What the write side knows of accounts and Islands the moment their first command commits (a read model may not
 * have seen it yet): the port through which access rules ask, implemented where the aggregates are wired.
 */
public interface Registry {

    /** Whether {@code account} was opened. */
    boolean accountOpen(AccountId account);

    /** The account that owns Island {@code islandId}; empty when it is not registered. */
    Optional<String> islandOwner(String islandId);
}

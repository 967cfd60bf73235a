package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;
import java.util.Optional;

/** Publishers as markets see them, read inside the market's own unit of work. */
public interface Publishers {

    /** The account's publisher profile; empty when the account never registered as a publisher. */
    Optional<PublisherProfile> profileOf(AccountId publisher);
}

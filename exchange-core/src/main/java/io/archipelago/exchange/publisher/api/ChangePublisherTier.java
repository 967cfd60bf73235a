package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves a publisher to another tier, for a stated reason (an operator command). */
public record ChangePublisherTier(@TargetAggregateIdentifier AccountId publisher, PublisherTier tier, String reason,
                                  Instant at) {
}

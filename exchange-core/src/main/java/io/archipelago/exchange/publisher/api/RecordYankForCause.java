package io.archipelago.exchange.publisher.api;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Tells a publisher's profile that the platform yanked one of its versions for cause ({@code CargoVersionYanked} by
 * the platform: a licence violation, malware, a legal order), so the tier rules may move it: a Certified publisher
 * goes back to Community, with the yank as its reason; any other tier stays. Sent for every such yank; handled
 * again, it records nothing new.
 *
 * @param publisher the yanked version's publisher
 * @param cargo     the version's Cargo type
 * @param version   the version yanked
 * @param reason    the platform's reason for the yank
 * @param at        when the yank was recorded
 */
public record RecordYankForCause(@TargetAggregateIdentifier AccountId publisher, CargoType cargo, String version,
                                 String reason, Instant at) {
}

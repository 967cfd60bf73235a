package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Several bids on one market handled in one unit of work: one lock, one transaction. Each bid is decided exactly as
 * if submitted alone, in list order.
 */
public record SubmitBids(@TargetAggregateIdentifier CargoType cargo, List<SubmitBid> bids) {

    public SubmitBids {
        bids = List.copyOf(bids);
        for (SubmitBid bid : bids) {
            if (!bid.cargo().equals(cargo)) {
                throw new IllegalArgumentException("every bid of a batch is for " + cargo + ", got " + bid.cargo());
            }
        }
    }
}

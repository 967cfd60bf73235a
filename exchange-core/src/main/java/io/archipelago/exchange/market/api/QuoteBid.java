package io.archipelago.exchange.market.api;

import io.archipelago.exchange.ids.CargoType;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks the market what {@code bid} would cost if it were submitted now, and why nothing would take it if nothing
 * would: answered with a {@link BidQuote}, recording nothing. The bid is judged exactly as {@link SubmitBid} would be
 * (its job id is not looked at), so a malformed one is refused the same way.
 */
public record QuoteBid(SubmitBid bid) {

    @TargetAggregateIdentifier
    public CargoType cargo() {
        return bid.cargo();
    }
}

package io.archipelago.payments;

import io.archipelago.exchange.account.api.RequestPayout;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Requests a payout of the whole credits earned by every host with a linked payout destination once its unpaid
 * earnings reach the threshold. The payout id is derived from the account's total earnings so far, so asking twice
 * before the first request is seen (two nodes, a slow projection) requests one payout.
 */
@Component
final class PayoutThreshold {

    private static final Logger LOG = LoggerFactory.getLogger(PayoutThreshold.class);

    private final PayoutBook book;
    private final CommandGateway commands;
    private final PayoutProperties properties;
    private final Clock clock;

    PayoutThreshold(PayoutBook book, CommandGateway commands, PayoutProperties properties, Clock clock) {
        this.book = book;
        this.commands = commands;
        this.properties = properties;
        this.clock = clock;
    }

    /** Requests the payouts due; returns how many it requested. */
    int requestDue() {
        if (properties.thresholdMicroCredits() <= 0) {
            return 0;
        }
        MicroCredits threshold = MicroCredits.of(properties.thresholdMicroCredits());
        int requested = 0;
        for (PayoutBook.Earnings due : book.payableAt(threshold)) {
            MicroCredits amount = CreditRate.wholeCredits(due.earnings());
            if (amount.isZero()) {
                continue;
            }
            String payoutId = "auto-" + due.earnedTotal().value();
            try {
                commands.sendAndWait(new RequestPayout(due.accountId(), payoutId, amount, clock.instant()));
                requested++;
            } catch (RuntimeException refused) {
                LOG.info("no automatic payout for {} now: {}", due.accountId(), Rejections.cause(refused).toString());
            }
        }
        return requested;
    }
}

package io.archipelago.exchange.account.api;

import io.archipelago.exchange.money.MicroCredits;

/**
 * Multi-step work (a workflow, a batch) refused because its account cannot hold its worst case when it is submitted:
 * nothing was recorded and nothing placed. The message says what the worst case is made of and what was available.
 */
public final class HoldRefused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long worstCase;
    private final long available;

    /**
     * @param worstCaseOf what the worst case is, for the message ("the batch's worst case, 3 inputs x limit 5 x 10
     *                    units")
     */
    public HoldRefused(String worstCaseOf, MicroCredits worstCase, MicroCredits available) {
        super(worstCaseOf + " = " + worstCase.value() + " micro-credits, exceeds the " + available.value()
                + " available; nothing was placed");
        this.worstCase = worstCase.value();
        this.available = available.value();
    }

    public long worstCase() {
        return worstCase;
    }

    public long available() {
        return available;
    }
}

package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.money.MicroCredits;

/**
 * A workflow refused because its account cannot hold its worst case (every step at its limit × maximum units) when it
 * is submitted: nothing was recorded and nothing placed.
 */
public final class UnfundedWorkflow extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long worstCase;
    private final long available;

    public UnfundedWorkflow(int steps, MicroCredits worstCase, MicroCredits available) {
        super("the workflow's worst case, " + steps + " steps at their limit x maximum units = " + worstCase.value()
                + " micro-credits, exceeds the " + available.value() + " available; nothing was placed");
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

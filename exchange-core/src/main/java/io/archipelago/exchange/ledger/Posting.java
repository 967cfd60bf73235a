package io.archipelago.exchange.ledger;

import io.archipelago.exchange.money.MicroCredits;

/**
 * One double-entry movement: {@code amount} leaves {@code from} and arrives in {@code to}. {@link Entry#WORLD} is
 * outside the exchange (deposits come from it, payouts go to it); {@link Entry#CLEARING} holds a settled job's
 * charge between the consumer's debit and the earnings it pays, and is empty after every whole transaction.
 */
public record Posting(Entry from, Entry to, MicroCredits amount) {

    /** One side of a posting: a bucket of an account, or one of the two exchange-wide entries. */
    public record Entry(String account, Bucket bucket) {
        public static final Entry WORLD = new Entry("<world>", Bucket.AVAILABLE);
        public static final Entry CLEARING = new Entry("<clearing>", Bucket.AVAILABLE);
    }
}

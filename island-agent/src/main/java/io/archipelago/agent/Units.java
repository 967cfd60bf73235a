package io.archipelago.agent;

/** Turns what a job used into the units its market prices: thousands of tokens, rounded up, at least one. */
final class Units {

    private Units() {
    }

    static long ofTokens(long tokens) {
        return Math.max(1, (tokens + 999) / 1000);
    }
}

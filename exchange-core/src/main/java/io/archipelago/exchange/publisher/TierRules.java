package io.archipelago.exchange.publisher;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.publisher.api.PublisherTier;

/**
 * Who sits in which tier. The platform's own account starts and stays Official; nobody else is ever Official. Every
 * other publisher starts Community; the operator moves it to Certified and back, always with a reason (the review it
 * passed, the yank for cause it earned). A move to the tier it is in is no move.
 */
final class TierRules {

    private TierRules() {
    }

    static PublisherTier initial(AccountId publisher) {
        return AccountId.PLATFORM.equals(publisher) ? PublisherTier.OFFICIAL : PublisherTier.COMMUNITY;
    }

    /**
     * Checks that {@code publisher} may move from {@code from} to {@code to} for {@code reason}.
     *
     * @throws IllegalArgumentException when the move breaks a rule
     */
    static void checkMove(AccountId publisher, PublisherTier from, PublisherTier to, String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new IllegalArgumentException("a tier change states its reason in 1-500 characters");
        }
        if (from == to) {
            throw new IllegalArgumentException("publisher " + publisher + " is already " + to);
        }
        if (from == PublisherTier.OFFICIAL || to == PublisherTier.OFFICIAL) {
            throw new IllegalArgumentException("only the platform's own account is Official, and it stays so");
        }
    }
}

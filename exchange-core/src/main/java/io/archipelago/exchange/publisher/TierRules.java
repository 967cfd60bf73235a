package io.archipelago.exchange.publisher;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.publisher.api.PublisherTier;
import java.util.Optional;

/**
 * Who sits in which tier. The platform's own account starts and stays Official; nobody else is ever Official. Every
 * other publisher starts Community; the operator moves it to Certified and back, always with a reason (the review it
 * passed, the yank for cause it earned). A move to the tier it is in is no move. One move is automatic, from the
 * record: when the platform yanks a version of a Certified publisher for cause, the publisher goes back to Community
 * at once, the yank its reason; the operator may certify it again, with a reason of its own.
 */
final class TierRules {

    static final int MAX_REASON = 500;
    static final String AUTOMATIC = "automatic: ";

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
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("a tier change states its reason in 1-500 characters");
        }
        if (from == to) {
            throw new IllegalArgumentException("publisher " + publisher + " is already " + to);
        }
        if (from == PublisherTier.OFFICIAL || to == PublisherTier.OFFICIAL) {
            throw new IllegalArgumentException("only the platform's own account is Official, and it stays so");
        }
    }

    /**
     * The move a yank for cause of {@code cargo} {@code version} makes, if any: a Certified publisher goes back to
     * Community; Community stays, and Official (the platform's own account) never moves.
     */
    static Optional<Move> afterYankForCause(PublisherTier tier, CargoType cargo, String version, String reason) {
        if (tier != PublisherTier.CERTIFIED) {
            return Optional.empty();
        }
        String because = AUTOMATIC + "the platform yanked " + cargo + " " + version + " for cause: "
                + (reason == null ? "" : reason.strip());
        return Optional.of(new Move(PublisherTier.COMMUNITY, because.length() <= MAX_REASON ? because
                : because.substring(0, MAX_REASON - 3) + "..."));
    }

    /** A move the rules make by themselves: the tier it goes to and the reason, at most 500 characters. */
    record Move(PublisherTier to, String reason) {
    }
}

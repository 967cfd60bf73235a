package io.archipelago.exchange.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.publisher.api.PublisherTier;
import org.junit.jupiter.api.Test;

/** The automatic move from the record, as the pure rules decide it. */
class TierRulesTest {

    private static final CargoType CARGO = new CargoType("llm.chat.llama");

    @Test
    void onlyACertifiedPublisherIsMovedByAYankForCauseAndOnlyToCommunity() {
        assertThat(TierRules.afterYankForCause(PublisherTier.CERTIFIED, CARGO, "1.0.0", " malware "))
                .contains(new TierRules.Move(PublisherTier.COMMUNITY,
                        "automatic: the platform yanked llm.chat.llama 1.0.0 for cause: malware"));
        assertThat(TierRules.afterYankForCause(PublisherTier.COMMUNITY, CARGO, "1.0.0", "malware")).isEmpty();
        assertThat(TierRules.afterYankForCause(PublisherTier.OFFICIAL, CARGO, "1.0.0", "malware")).isEmpty();
    }

    @Test
    void anAutomaticReasonIsCutToWhatEveryMoveMayState() {
        TierRules.Move move = TierRules.afterYankForCause(PublisherTier.CERTIFIED, CARGO, "1.0.0", "x".repeat(600))
                .orElseThrow();
        assertThat(move.reason()).hasSize(TierRules.MAX_REASON).startsWith(TierRules.AUTOMATIC).endsWith("x...");
        // the move it makes passes the rules an operator's move must pass
        TierRules.checkMove(new AccountId("acme"), PublisherTier.CERTIFIED, move.to(),
                move.reason());
    }
}

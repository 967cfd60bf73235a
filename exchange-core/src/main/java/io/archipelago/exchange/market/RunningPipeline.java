package io.archipelago.exchange.market;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.market.api.PlacedStage;
import io.archipelago.exchange.money.MicroCredits;
import java.util.List;

/** A pipeline job funded (its escrow reserved) and, once {@code stages} are known, placed. */
record RunningPipeline(AccountId consumer, long maxUnits, MicroCredits escrow, List<PlacedStage> stages) {

    RunningPipeline {
        stages = List.copyOf(stages);
    }

    RunningPipeline placed(List<PlacedStage> placed) {
        return new RunningPipeline(consumer, maxUnits, escrow, placed);
    }
}

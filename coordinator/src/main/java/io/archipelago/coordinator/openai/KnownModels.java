package io.archipelago.coordinator.openai;

import io.archipelago.projections.ReadYourWrites;
import io.archipelago.projections.market.MarketView;
import io.archipelago.projections.market.MarketViews;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The Cargo types a {@code model} may name. An absence is an answer only once the read side has caught up with the
 * store: a Cargo registered a moment ago (the demo's, at a first start) is not refused for the projection lagging
 * behind its registration.
 */
@Component
final class KnownModels {

    private final MarketViews markets;
    private final ReadYourWrites fresh;

    KnownModels(MarketViews markets, ReadYourWrites fresh) {
        this.markets = markets;
        this.fresh = fresh;
    }

    /** The market of {@code model}, read again once the read side has caught up when it is not there at first. */
    Optional<MarketView> find(String model) {
        return markets.find(model).or(() -> fresh.read(() -> markets.find(model)));
    }

    /**
     * The market of {@code model}.
     *
     * @throws OpenAiException {@code model_not_found} (404) when no Cargo type has that name
     */
    MarketView require(String model) {
        return find(model).orElseThrow(() ->
                new OpenAiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found",
                        "The model `" + model + "` does not exist: GET /v1/models lists the Cargo types"));
    }
}

package io.archipelago.coordinator.openai;

import java.util.concurrent.CompletableFuture;

/** What one batch item's job sends back, gathered into the result the batch keeps for the item. */
interface ItemOutput extends JobRelay {

    /** Completes with the item's result when its job completed, or exceptionally when its stream failed. */
    CompletableFuture<String> finished();
}

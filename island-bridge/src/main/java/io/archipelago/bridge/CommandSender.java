package io.archipelago.bridge;

import java.util.concurrent.CompletableFuture;

/** Sends a market command (StartJob, CompleteJob, RecordIslandRtt…) and tells when it was handled or why not. */
@FunctionalInterface
public interface CommandSender {

    CompletableFuture<?> send(Object command);
}

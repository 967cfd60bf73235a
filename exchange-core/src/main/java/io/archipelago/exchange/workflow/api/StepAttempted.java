package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.batch.api.ItemTerms;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import java.util.List;

/**
 * Attempt {@code attempt} (from 1) of step {@code key} (at position {@code index}) is to be placed as job
 * {@code jobId}: a bid of {@code account} on {@code cargo} with {@code terms} and {@code input}, its templates
 * rendered from the outputs of the steps it depends on, avoiding the Islands {@code avoid} (in id order) where
 * another can take it. One attempt of a workflow is being placed at a time.
 */
public record StepAttempted(WorkflowId workflowId, String key, int index, int attempt, JobId jobId,
                            AccountId account, CargoType cargo, ItemTerms terms, String input, List<IslandId> avoid,
                            Instant at) {
}

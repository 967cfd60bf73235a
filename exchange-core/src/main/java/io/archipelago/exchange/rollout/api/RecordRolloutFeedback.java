package io.archipelago.exchange.rollout.api;

import io.archipelago.exchange.ids.JobId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A consumer's (or an evaluator's) score of job {@code job}'s answer, from 0 (useless) to 1 (right). */
public record RecordRolloutFeedback(@TargetAggregateIdentifier RolloutId rollout, JobId job, double score,
                                    Instant at) {
}

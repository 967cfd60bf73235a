package io.archipelago.coordinator.cache;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An answer the cache holds: the text chunks of the job that produced it, in order, with its usage.
 *
 * @param prompt              the text of the request's messages ({@link RequestKey#prompt})
 * @param chargedMicroCredits what the source job cost the consumer, null while the read model has not seen it settle
 */
public record CachedAnswer(long id, String cargo, String prompt, List<String> chunks, long promptTokens,
                           long completionTokens, long units, String jobId, @Nullable Long chargedMicroCredits) {
}

package io.archipelago.query.admin;

import io.archipelago.projections.deadletter.DeadLetterView;
import io.archipelago.projections.deadletter.DeadLetters;
import io.archipelago.projections.rebuild.ReadModelRebuild;
import io.archipelago.query.web.NotFound;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dead letters of the read models, listed and retried; the rebuild of the read models. For operators: put these
 * paths behind the same access control as the rest of {@code /admin}.
 */
@RestController
final class ReadSideAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(ReadSideAdmin.class);
    private static final int MAX_LISTED = 1_000;
    private static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(30);

    private final DeadLetters deadLetters;
    private final ReadModelRebuild rebuild;

    ReadSideAdmin(DeadLetters deadLetters, ReadModelRebuild rebuild) {
        this.deadLetters = deadLetters;
        this.rebuild = rebuild;
    }

    /** Parked events per processor, and the first {@code limit} of them. */
    record DeadLetterList(Map<String, Long> counts, List<DeadLetterView> deadLetters) {
    }

    /** What a retry achieved: sequences handled without failure, and what is still parked. */
    record Retried(String processor, int recovered, long stillParked) {
    }

    @GetMapping("/admin/dead-letters")
    DeadLetterList deadLetters(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LISTED) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LISTED);
        }
        return new DeadLetterList(deadLetters.counts(), deadLetters.list(limit));
    }

    @PostMapping("/admin/dead-letters/{processor}/retry")
    Retried retry(@PathVariable String processor) {
        if (!deadLetters.has(processor)) {
            throw new NotFound("processor " + processor);
        }
        int recovered = deadLetters.retry(processor);
        return new Retried(processor, recovered, deadLetters.counts().getOrDefault(processor, 0L));
    }

    /** Rebuilds every read model from the first event; answers when done. */
    @PostMapping("/admin/read-models/rebuild")
    ReadModelRebuild.Result rebuild() {
        return rebuild.rebuild(REBUILD_TIMEOUT, LOG::info);
    }
}

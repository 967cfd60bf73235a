package io.archipelago.bridge;

import io.archipelago.protocol.RejectedMessage;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the bridge refused from Islands, by reason, and duplicate chunks it dropped. Refusals are logged at
 * most once a second, so a flood from a broken Island cannot flood the log.
 */
public final class Rejections {

    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);

    private final Map<RejectedMessage.Reason, LongAdder> counts = new EnumMap<>(RejectedMessage.Reason.class);
    private final LongAdder duplicates = new LongAdder();
    private final AtomicLong lastLogged = new AtomicLong();

    public Rejections() {
        for (RejectedMessage.Reason reason : RejectedMessage.Reason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    void count(String subject, RejectedMessage rejected) {
        counts.get(rejected.reason()).increment();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last > 1_000_000_000L && lastLogged.compareAndSet(last, now)) {
            LOG.warn("refused a message on {}: {} ({})", subject, rejected.reason(), rejected.getMessage());
        }
    }

    void duplicate() {
        duplicates.increment();
    }

    /** Messages refused for {@code reason} since the bridge started. */
    public long count(RejectedMessage.Reason reason) {
        return counts.get(reason).sum();
    }

    /** Chunks that arrived again and were dropped. */
    public long duplicates() {
        return duplicates.sum();
    }
}

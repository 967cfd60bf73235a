package io.archipelago.projections;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.jspecify.annotations.Nullable;

/**
 * Read-your-writes for a client that reads what it was just told was accepted (a job right after its bid): when the
 * read model does not have it yet, waits until the read models' processor on this node has handled every event that
 * was stored when the read began, and reads again, so the answer is as fresh as the request without waiting for
 * anything later. Where this node does not hold every segment of the processor (another node of a cluster does),
 * it cannot tell when they passed, and reads again until {@code maxWait}. A read that finds its row costs nothing
 * more.
 */
public final class ReadYourWrites {

    private static final long POLL_MILLIS = 5;

    private final Supplier<@Nullable StreamableMessageSource<?>> events;
    private final Supplier<@Nullable EventProcessingConfiguration> processing;
    private final Duration maxWait;

    /** Without an event store (a read side on its own, as in some tests) a read is answered as it is. */
    ReadYourWrites(Supplier<@Nullable StreamableMessageSource<?>> events,
                   Supplier<@Nullable EventProcessingConfiguration> processing, Duration maxWait) {
        this.events = events;
        this.processing = processing;
        this.maxWait = maxWait;
    }

    /** What {@code read} finds once the read models have caught up with the event store as it is now. */
    public <T> Optional<T> read(Supplier<Optional<T>> read) {
        Optional<T> found = read.get();
        StreamableMessageSource<?> store = events.get();
        if (found.isPresent() || store == null) {
            return found;
        }
        TrackingToken headToken = store.createHeadToken();
        long head = headToken == null ? -1 : headToken.position().orElse(-1);
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            // passed first, then read: a row written after the read but before the check would otherwise be missed
            boolean passed = passed(head);
            found = read.get();
            if (found.isPresent() || passed || System.nanoTime() - deadline > 0) {
                return found;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    /** Whether this node holds every segment of the read models' processor and each has handled {@code head}. */
    private boolean passed(long head) {
        EventProcessingConfiguration configuration = processing.get();
        Optional<StreamingEventProcessor> processor = configuration == null ? Optional.empty()
                : configuration.eventProcessor(ProjectionsConfiguration.PROCESSING_GROUP,
                        StreamingEventProcessor.class);
        if (processor.isEmpty()) {
            return false;
        }
        Map<Integer, EventTrackerStatus> status = processor.get().processingStatus();
        double covered = 0;
        for (EventTrackerStatus segment : status.values()) {
            OptionalLong position = segment.getCurrentPosition();
            if (segment.isErrorState() || position.isEmpty() || position.getAsLong() < head) {
                return false;
            }
            covered += 1.0 / (segment.getSegment().getMask() + 1);
        }
        return covered > 0.999;
    }
}

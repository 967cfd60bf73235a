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
 * Read-your-writes for a client that reads what it was just told was accepted (a job right after its bid): where this
 * node holds every segment of the read models' processor, a read waits until that processor has handled every event
 * that was stored when the read began, and reads again, so the answer is as fresh as the request (a job placed by the
 * command that acknowledged it reads as placed, not as the bid before it) without waiting for anything later; a read
 * side caught up costs one look at the store's head. Where another node of a cluster holds some segments, this node
 * cannot tell when they passed: a row found is answered as it is, and a missing one is read again until it appears
 * or {@code maxWait} passes.
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
        return readChecked(read).found();
    }

    /**
     * What {@code read} finds, as {@link #read}, and whether the read models were known to have caught up with the
     * store when it was read: an absence is an answer only then; otherwise it may be the read side lagging (after a
     * restart, or where another node holds some segments) for longer than {@code maxWait}.
     */
    public <T> Fresh<T> readChecked(Supplier<Optional<T>> read) {
        StreamableMessageSource<?> store = events.get();
        if (store == null) {
            return new Fresh<>(read.get(), true);
        }
        boolean wholeProcessor = holdsEverySegment();
        Optional<T> found = read.get();
        if (found.isPresent() && !wholeProcessor) {
            return new Fresh<>(found, false);
        }
        TrackingToken headToken = store.createHeadToken();
        long head = headToken == null ? -1 : headToken.position().orElse(-1);
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            // passed first, then read: a row written after the read but before the check would otherwise be missed
            boolean passed = passed(head);
            found = read.get();
            if (passed || (found.isPresent() && !wholeProcessor) || System.nanoTime() - deadline > 0) {
                return new Fresh<>(found, passed);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return new Fresh<>(found, false);
            }
        }
    }

    /** A read, and whether the read models had caught up with the store when it was made. */
    public record Fresh<T>(Optional<T> found, boolean caughtUp) {
    }

    /** Whether this node holds every segment of the read models' processor, wherever each stands. */
    private boolean holdsEverySegment() {
        return processor().map(processor -> processor.processingStatus().values().stream()
                .mapToDouble(segment -> 1.0 / (segment.getSegment().getMask() + 1)).sum() > 0.999).orElse(false);
    }

    private Optional<StreamingEventProcessor> processor() {
        EventProcessingConfiguration configuration = processing.get();
        return configuration == null ? Optional.empty()
                : configuration.eventProcessor(ProjectionsConfiguration.PROCESSING_GROUP,
                        StreamingEventProcessor.class);
    }

    /** Whether this node holds every segment of the read models' processor and each has handled {@code head}. */
    private boolean passed(long head) {
        Optional<StreamingEventProcessor> processor = processor();
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

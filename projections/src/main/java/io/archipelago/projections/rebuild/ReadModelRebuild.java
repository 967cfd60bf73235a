package io.archipelago.projections.rebuild;

import io.archipelago.projections.ProjectionsConfiguration;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rebuilds every read model of the {@value ProjectionsConfiguration#PROCESSING_GROUP} processor: stops it, resets its
 * tokens to the first event (its reset handlers empty their tables and its dead letters, in the same transaction),
 * starts it again and waits until it has replayed up to the event store's head as it was when the rebuild began.
 * Needs every segment of the processor: on several coordinator nodes, stop the others' processors first.
 */
public final class ReadModelRebuild {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Supplier<Configuration> axon;
    private final JdbcTemplate jdbc;

    ReadModelRebuild(Supplier<Configuration> axon, JdbcTemplate jdbc) {
        this.axon = axon;
        this.jdbc = jdbc;
    }

    /** What a rebuild replayed and how long it took. */
    public record Result(long events, Duration took) {

        /** Events replayed per second. */
        public long rate() {
            return events * 1_000_000_000L / Math.max(1, took.toNanos());
        }
    }

    /**
     * Replays every event into empty read models, reporting progress about once a second, and returns when the
     * processor has caught up with the head of the store.
     *
     * @throws IllegalStateException when the processor does not catch up within {@code timeout} or fails
     */
    public Result rebuild(Duration timeout, Consumer<String> progress) {
        StreamingEventProcessor processor = axon.get().eventProcessingConfiguration()
                .eventProcessor(ProjectionsConfiguration.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no read model processor is running here"));
        long head = head();
        long events = events();
        long started = System.nanoTime();
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        long deadline = started + timeout.toNanos();
        long lastReport = started;
        while (!caughtUp(processor, head)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the read models did not catch up within " + timeout);
            }
            processor.processingStatus().values().stream().filter(EventTrackerStatus::isErrorState).findAny()
                    .ifPresent(failed -> {
                        throw new IllegalStateException("the read model processor failed", failed.getError());
                    });
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(1)) {
                lastReport = System.nanoTime();
                progress.accept(String.format("rebuild: at event %,d of %,d (%.1f s)", position(processor), head,
                        (lastReport - started) / 1e9));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        Result result = new Result(events, Duration.ofNanos(System.nanoTime() - started));
        progress.accept(String.format("rebuild: %,d events replayed in %.2f s (%,d events/s)", result.events(),
                result.took().toNanos() / 1e9, result.rate()));
        return result;
    }

    private long head() {
        @Nullable TrackingToken head = axon.get().eventStore().createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    private long events() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }

    /** Every segment claimed and caught up, each at or past the head the rebuild started from. */
    private boolean caughtUp(StreamingEventProcessor processor, long head) {
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (status.isEmpty() || !allSegmentsClaimed(status)) {
            return false;
        }
        // a segment stays "replaying" until it sees an event newer than the reset; its position is what counts
        return status.values().stream().allMatch(segment -> segment.isCaughtUp()
                && segment.getCurrentPosition().orElse(-1) >= head);
    }

    /** The claimed segments cover the whole stream: their fractions of it add up to one. */
    private static boolean allSegmentsClaimed(Map<Integer, EventTrackerStatus> status) {
        double covered = status.values().stream().mapToDouble(segment -> 1.0 / (segment.getSegment().getMask() + 1))
                .sum();
        return covered > 0.999;
    }

    private static long position(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream()
                .mapToLong(segment -> segment.getCurrentPosition().orElse(0)).min().orElse(0);
    }
}

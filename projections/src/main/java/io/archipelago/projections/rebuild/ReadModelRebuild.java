package io.archipelago.projections.rebuild;

import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.ReadModelWrites;
import io.archipelago.projections.RebuildMemory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;

import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.SimpleSerializedObject;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds every read model of the {@value ProjectionsConfiguration#PROCESSING_GROUP} processor into fresh tables
 * while the live ones keep serving, then swaps them in at once. It reads the store in one streaming query (a
 * server-side cursor) up to the head as it was when the rebuild began, hands each event to the projections' own
 * handlers (the same code the live processor runs: nothing is written twice) on {@code threads} workers split by
 * aggregate, as the processor's segments are, and commits every {@code batchSize} events of a worker. Each worker
 * holds a {@link RebuildMemory} for the whole rebuild: the big tables' rows (jobs, balances, the market and its book,
 * candles, usage, rates, Islands, karma, payouts) are folded there instead of written per event, and written once
 * with multi-row inserts when the worker has replayed its last event; the other projections' writes go to the fresh
 * tables as they are made (those of {@link ReadModelWrites} as one JDBC batch per statement). At the end, in one
 * transaction: the live tables are dropped, the fresh ones take their place, the processor's dead letters go, and
 * its tokens move to where the rebuild stopped, so that the processor, stopped for that transaction only, carries on
 * from there with the events that came in meanwhile. A failed rebuild leaves the live read models as they were. Needs
 * every segment of the processor: on several coordinator nodes, stop the others' processors first.
 */
public final class ReadModelRebuild {

    /** Events whose absence below the last one read the new token keeps as gaps (in-flight commits). */
    private static final int GAP_WINDOW = 10_000;
    private static final int FETCH_SIZE = 10_000;
    private static final int ATTEMPTS = 5;
    private static final String EVENTS = """
            SELECT global_index, type, aggregate_identifier, sequence_number, event_identifier, time_stamp,
                   payload_type, payload_revision, payload, meta_data
            FROM domain_event_entry WHERE global_index <= ? ORDER BY global_index""";

    private final Supplier<Configuration> axon;
    private final Supplier<List<Object>> projections;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ReadModelWrites writes;
    private final int threads;
    private final int batchSize;

    ReadModelRebuild(Supplier<Configuration> axon, Supplier<List<Object>> projections, DataSource dataSource,
                     TransactionTemplate transactions, ReadModelWrites writes, int threads, int batchSize) {
        this.axon = axon;
        this.projections = projections;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
        this.writes = writes;
        this.threads = Integer.highestOneBit(Math.max(1, threads));
        this.batchSize = batchSize;
    }

    /** What a rebuild replayed and how long it took. */
    public record Result(long events, Duration took) {

        /** Events replayed per second. */
        public long rate() {
            return events * 1_000_000_000L / Math.max(1, took.toNanos());
        }
    }

    /**
     * Replays every event into fresh read models, reporting progress about once a second, swaps them in and returns.
     *
     * @throws IllegalStateException when the rebuild fails or does not end within {@code timeout}; the live read
     *                               models are then untouched
     */
    public Result rebuild(Duration timeout, Consumer<String> progress) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        ShadowTables shadow = new ShadowTables(jdbc);
        shadow.create();
        progress.accept(String.format("rebuild: fresh tables created (%.1f s)", (System.nanoTime() - started) / 1e9));
        try {
            // resolved once: asking the provider for Axon's configuration per event cost more than the event
            Configuration configuration = axon.get();
            List<AnnotationEventHandlerAdapter> handlers = projections.get().stream()
                    .map(bean -> new AnnotationEventHandlerAdapter(bean, configuration.parameterResolverFactory()))
                    .toList();
            Long max = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
            long head = max == null ? -1 : max;
            Replay replay = replay(handlers, configuration.eventSerializer(), configuration.upcasterChain(), head,
                    deadline, progress, started);
            progress.accept(String.format("rebuild: %,d events replayed into fresh tables (%.1f s), swapping them in",
                    replay.events(), (System.nanoTime() - started) / 1e9));
            swap(shadow, replay.token());
            Result result = new Result(replay.events(), Duration.ofNanos(System.nanoTime() - started));
            progress.accept(String.format("rebuild: %,d events replayed into fresh read models and swapped in"
                    + " in %.2f s (%,d events/s)", result.events(), result.took().toNanos() / 1e9, result.rate()));
            return result;
        } catch (RuntimeException failed) {
            shadow.drop();
            throw failed;
        }
    }

    private record Replay(long events, @Nullable GapAwareTrackingToken token) {
    }

    /** Streams the store up to {@code head} to the workers; the token says what was read and what was missing. */
    private Replay replay(List<AnnotationEventHandlerAdapter> handlers, Serializer serializer,
                          EventUpcaster upcasters, long head, long deadline,
                          Consumer<String> progress, long started) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "read-model-rebuild");
            thread.setDaemon(true);
            return thread;
        });
        List<BlockingQueue<List<TrackedEventMessage<?>>>> queues = new ArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        AtomicLong replayed = new AtomicLong();
        for (int segment = 0; segment < threads; segment++) {
            BlockingQueue<List<TrackedEventMessage<?>>> queue = new ArrayBlockingQueue<>(4);
            queues.add(queue);
            workers.add(pool.submit(() -> work(queue, handlers, replayed)));
        }
        long events = 0;
        long last = -1;
        TreeSet<Long> gaps = new TreeSet<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            List<List<TrackedEventMessage<?>>> batches = new ArrayList<>();
            for (int segment = 0; segment < threads; segment++) {
                batches.add(new ArrayList<>(batchSize));
            }
            long lastReport = System.nanoTime();
            try (PreparedStatement statement = connection.prepareStatement(EVENTS)) {
                statement.setFetchSize(FETCH_SIZE);
                statement.setLong(1, head);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        long index = row.getLong("global_index");
                        for (long missing = Math.max(last + 1, index - GAP_WINDOW); missing < index; missing++) {
                            gaps.add(missing);
                        }
                        last = index;
                        if (!gaps.isEmpty() && gaps.first() < index - GAP_WINDOW) {
                            gaps.headSet(index - GAP_WINDOW).clear();
                        }
                        TrackedEventMessage<?> event = event(row, index, serializer, upcasters);
                        String aggregate = row.getString("aggregate_identifier");
                        int segment = threads == 1 || aggregate == null ? 0
                                : Math.floorMod(aggregate.hashCode(), threads);
                        List<TrackedEventMessage<?>> batch = batches.get(segment);
                        batch.add(event);
                        if (batch.size() == batchSize) {
                            hand(queues.get(segment), batch, workers, deadline);
                            batches.set(segment, new ArrayList<>(batchSize));
                        }
                        events++;
                        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(1)) {
                            lastReport = System.nanoTime();
                            progress.accept(String.format("rebuild: read %,d events of %,d, replayed %,d (%.1f s)",
                                    events, head + 1, replayed.get(), (lastReport - started) / 1e9));
                        }
                    }
                }
            }
            connection.commit();
            progress.accept(String.format("rebuild: store read, %,d events (%.1f s)", events,
                    (System.nanoTime() - started) / 1e9));
            for (int segment = 0; segment < threads; segment++) {
                if (!batches.get(segment).isEmpty()) {
                    hand(queues.get(segment), batches.get(segment), workers, deadline);
                }
                hand(queues.get(segment), List.of(), workers, deadline);
            }
            for (Future<?> worker : workers) {
                worker.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (SQLException failed) {
            throw new IllegalStateException("the rebuild could not read the store: " + failed.getMessage(), failed);
        } catch (ExecutionException failed) {
            throw new IllegalStateException("the rebuild failed: " + failed.getCause().getMessage(),
                    failed.getCause());
        } catch (TimeoutException failed) {
            throw new IllegalStateException("the rebuild did not end in time", failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the rebuild was interrupted", interrupted);
        } finally {
            pool.shutdownNow();
        }
        if (!gaps.isEmpty()) {
            gaps.headSet(last - GAP_WINDOW).clear();
        }
        return new Replay(events, last < 0 ? null : GapAwareTrackingToken.newInstance(last, gaps));
    }

    private static TrackedEventMessage<?> event(ResultSet row, long index, Serializer serializer,
                                                EventUpcaster upcasters) throws SQLException {
        byte @Nullable [] metaData = row.getBytes("meta_data");
        StoredDomainEvent entry = new StoredDomainEvent(row.getString("type"), row.getString("aggregate_identifier"),
                row.getLong("sequence_number"), row.getString("event_identifier"),
                DateTimeUtils.parseInstant(row.getString("time_stamp")),
                new SimpleSerializedObject<>(row.getBytes("payload"), byte[].class, row.getString("payload_type"),
                        row.getString("payload_revision")),
                new SimpleSerializedObject<>(metaData == null ? new byte[0] : metaData, byte[].class,
                        MetaData.class.getName(), null));
        TrackedDomainEventData<byte[]> data = new TrackedDomainEventData<>(
                GapAwareTrackingToken.newInstance(index, List.of()), entry);
        return EventUtils.upcastAndDeserializeTrackedEvents(Stream.of(data), serializer, upcasters).findFirst()
                .orElseThrow(() -> new IllegalStateException("event " + index + " did not deserialise"));
    }

    /** A row of {@code domain_event_entry}, for Axon to upcast and deserialise as its own storage engine does. */
    private record StoredDomainEvent(@Nullable String type, String aggregateIdentifier, long sequenceNumber,
                                     String eventIdentifier, Instant timestamp, SerializedObject<byte[]> payload,
                                     SerializedObject<byte[]> metaData) implements DomainEventData<byte[]> {

        @Override
        public @Nullable String getType() {
            return type;
        }

        @Override
        public String getAggregateIdentifier() {
            return aggregateIdentifier;
        }

        @Override
        public long getSequenceNumber() {
            return sequenceNumber;
        }

        @Override
        public String getEventIdentifier() {
            return eventIdentifier;
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }

        @Override
        public SerializedObject<byte[]> getMetaData() {
            return metaData;
        }

        @Override
        public SerializedObject<byte[]> getPayload() {
            return payload;
        }
    }

    /** Hands a batch to its worker, noticing a worker that failed instead of waiting for it forever. */
    private static void hand(BlockingQueue<List<TrackedEventMessage<?>>> queue, List<TrackedEventMessage<?>> batch,
                             List<Future<?>> workers, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            for (Future<?> worker : workers) {
                if (worker.isDone()) {
                    worker.get();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException();
            }
        }
    }

    private Void work(BlockingQueue<List<TrackedEventMessage<?>>> queue, List<AnnotationEventHandlerAdapter> handlers,
                      AtomicLong replayed) throws InterruptedException {
        RebuildMemory memory = new RebuildMemory();
        Map<Class<?>, List<AnnotationEventHandlerAdapter>> byType = new HashMap<>();
        while (true) {
            List<TrackedEventMessage<?>> batch = queue.take();
            if (batch.isEmpty()) {
                transactions.executeWithoutResult(status -> {
                    jdbc.execute(ShadowTables.searchPath());
                    memory.write(jdbc);
                });
                return null;
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    transactions.executeWithoutResult(status -> apply(batch, handlers, byType, memory));
                    memory.committed();
                    break;
                } catch (PessimisticLockingFailureException deadlock) {
                    memory.rolledBack();
                    // two workers wrote rows of the same accounts in opposite orders: do the batch again
                    if (attempt == ATTEMPTS) {
                        throw deadlock;
                    }
                }
            }
            replayed.addAndGet(batch.size());
        }
    }

    /** One batch in the current transaction, into the fresh tables, its row writes sent at its end. */
    private void apply(List<TrackedEventMessage<?>> batch, List<AnnotationEventHandlerAdapter> handlers,
                       Map<Class<?>, List<AnnotationEventHandlerAdapter>> byType, RebuildMemory memory) {
        jdbc.execute(ShadowTables.searchPath());
        BatchingUnitOfWork<TrackedEventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
        ResultMessage<Void> result = unitOfWork.executeWithResult(() -> {
            writes.deferToCommit();
            memory.bindToCurrentUnitOfWork();
            EventMessage<?> event = unitOfWork.getMessage();
            // every event of the store is a domain event: which handlers take it depends on its payload's type only
            for (AnnotationEventHandlerAdapter handler : byType.computeIfAbsent(event.getPayloadType(),
                    type -> handlers.stream().filter(candidate -> candidate.canHandle(event)).toList())) {
                handler.handle(event);
            }
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            Throwable failed = result.exceptionResult();
            if (failed instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(failed.getMessage(), failed);
        }
    }

    /** Stops the live processor for the one transaction that swaps the tables and moves its tokens. */
    private void swap(ShadowTables shadow, @Nullable GapAwareTrackingToken token) {
        Optional<StreamingEventProcessor> processor = axon.get().eventProcessingConfiguration()
                .eventProcessor(ProjectionsConfiguration.PROCESSING_GROUP, StreamingEventProcessor.class);
        TokenStore tokens = axon.get().eventProcessingConfiguration()
                .tokenStore(ProjectionsConfiguration.PROCESSING_GROUP);
        boolean running = processor.map(StreamingEventProcessor::isRunning).orElse(false);
        processor.filter(live -> running).ifPresent(StreamingEventProcessor::shutDown);
        try {
            transactions.executeWithoutResult(status -> {
                shadow.swap();
                jdbc.update("DELETE FROM dead_letter_entry WHERE processing_group = ?",
                        ProjectionsConfiguration.PROCESSING_GROUP);
                for (int segment : tokens.fetchSegments(ProjectionsConfiguration.PROCESSING_GROUP)) {
                    tokens.storeToken(token, ProjectionsConfiguration.PROCESSING_GROUP, segment);
                    tokens.releaseClaim(ProjectionsConfiguration.PROCESSING_GROUP, segment);
                }
            });
        } finally {
            processor.filter(live -> running).ifPresent(StreamingEventProcessor::start);
        }
    }
}

package io.archipelago.projections.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;

/**
 * Sends every event to the export topic, keyed by aggregate identifier, and holds back the commit of each batch
 * (and so the processor's token) until Kafka has acknowledged every record of it. The processor has one segment and
 * the producer is idempotent with {@code acks=all}, so the records of one aggregate reach their partition in the
 * order of the stream; a batch that fails is sent again whole, so a crash can repeat events but never skip one.
 */
@ProcessingGroup(ExportConfiguration.PROCESSING_GROUP)
final class KafkaEventExporter {

    private static final String PENDING_SENDS = KafkaEventExporter.class.getName() + ".sends";

    private final Producer<byte[], byte[]> producer;
    private final ExportTopic topic;
    private final Serializer serializer;
    private final Duration ackTimeout;
    private final Timer lag;
    private final Counter exported;

    KafkaEventExporter(Producer<byte[], byte[]> producer, ExportTopic topic, Serializer serializer,
                       Duration ackTimeout, MeterRegistry meters) {
        this.producer = producer;
        this.topic = topic;
        this.serializer = serializer;
        this.ackTimeout = ackTimeout;
        this.lag = Timer.builder("archipelago.export.lag")
                .description("From an event's timestamp to Kafka's acknowledgement of its export")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(meters);
        this.exported = Counter.builder("archipelago.export.events")
                .description("Events acknowledged by Kafka")
                .register(meters);
    }

    @EventHandler
    void on(Object payload, EventMessage<?> event, TrackingToken token) {
        topic.ensureExists();
        ExportedEvent exportedEvent = exportOf(event, token);
        Instant timestamp = event.getTimestamp();
        Future<RecordMetadata> sent = producer.send(
                new ProducerRecord<>(topic.name(), exportedEvent.key(), exportedEvent.value()),
                (metadata, failure) -> {
                    if (failure == null) {
                        exported.increment();
                        lag.record(Duration.between(timestamp, Instant.now()));
                    }
                });
        pendingSends().add(sent);
    }

    private ExportedEvent exportOf(EventMessage<?> event, TrackingToken token) {
        byte[] payload = event.serializePayload(serializer, byte[].class).getData();
        long position = token.position().orElse(-1);
        if (event instanceof DomainEventMessage<?> domainEvent) {
            return new ExportedEvent(event.getIdentifier(), event.getPayloadType().getName(), domainEvent.getType(),
                    domainEvent.getAggregateIdentifier(), domainEvent.getSequenceNumber(), position,
                    event.getTimestamp(), payload);
        }
        return new ExportedEvent(event.getIdentifier(), event.getPayloadType().getName(), null,
                "event:" + event.getIdentifier(), 0, position, event.getTimestamp(), payload);
    }

    /** The sends of this batch; the first one registers the wait for all of them before the batch commits. */
    private List<Future<RecordMetadata>> pendingSends() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING_SENDS, key -> {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            batch.onPrepareCommit(committing -> awaitAcknowledgements(sends));
            return sends;
        });
    }

    private void awaitAcknowledgements(List<Future<RecordMetadata>> sends) {
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ExportFailed("interrupted while waiting for Kafka", interrupted);
        } catch (ExecutionException | TimeoutException failed) {
            // the batch rolls back and the processor sends it again after a back-off
            throw new ExportFailed("Kafka did not acknowledge " + sends.size() + " events", failed);
        }
    }

    /** Kafka refused or did not acknowledge a batch in time; it will be sent again. */
    static final class ExportFailed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ExportFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package io.archipelago.projections.deadletter;

import io.archipelago.projections.ProjectionsConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;

/**
 * The dead letters of every processor that has a dead-letter queue: listed, counted, and retried on demand. A retry
 * hands each parked sequence to its handlers again, in order; a sequence whose handler still fails stays parked.
 */
public final class DeadLetters {

    /** The processors whose failing events are parked rather than retried forever. */
    static final List<String> PROCESSORS = List.of(ProjectionsConfiguration.PROCESSING_GROUP);

    private final Supplier<Configuration> axon;
    private final TransactionManager transactions;

    DeadLetters(Supplier<Configuration> axon, TransactionManager transactions) {
        this.axon = axon;
        this.transactions = transactions;
    }

    /** Parked events per processor. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        for (String processor : PROCESSORS) {
            queue(processor).ifPresent(queue -> counts.put(processor, transactions.fetchInTransaction(queue::size)));
        }
        return counts;
    }

    /** Up to {@code limit} parked events of each processor, oldest sequence first. */
    public List<DeadLetterView> list(int limit) {
        List<DeadLetterView> views = new ArrayList<>();
        for (String processor : PROCESSORS) {
            queue(processor).ifPresent(queue -> transactions.executeInTransaction(() -> {
                int taken = 0;
                for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
                    for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                        if (taken++ >= limit) {
                            return;
                        }
                        views.add(view(processor, letter));
                    }
                }
            }));
        }
        return views;
    }

    /**
     * Retries every parked sequence of {@code processor} once; returns how many sequences were handled without
     * failure (and left the queue).
     *
     * @throws IllegalArgumentException when the processor has no dead-letter queue
     */
    public int retry(String processor) {
        SequencedDeadLetterProcessor<EventMessage<?>> letters = processing()
                .sequencedDeadLetterProcessor(processor)
                .orElseThrow(() -> new IllegalArgumentException("processor " + processor + " has no dead letters"));
        long sequences = queue(processor).map(queue -> transactions.fetchInTransaction(queue::amountOfSequences))
                .orElse(0L);
        int recovered = 0;
        for (long attempt = 0; attempt < sequences; attempt++) {
            if (letters.processAny()) {
                recovered++;
            }
        }
        return recovered;
    }

    /** Whether {@code processor} parks failing events. */
    public boolean has(String processor) {
        return PROCESSORS.contains(processor);
    }

    private java.util.Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue(String processor) {
        return processing().deadLetterQueue(processor);
    }

    private EventProcessingConfiguration processing() {
        return axon.get().eventProcessingConfiguration();
    }

    private static DeadLetterView view(String processor, DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> event = letter.message();
        String aggregate = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        Long sequence = event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null;
        return new DeadLetterView(processor, event.getIdentifier(), event.getPayloadType().getName(), aggregate,
                sequence, event.getTimestamp(), letter.cause().map(cause -> cause.type()).orElse(null),
                letter.cause().map(cause -> cause.message()).orElse(null), letter.enqueuedAt(),
                letter.lastTouched());
    }
}

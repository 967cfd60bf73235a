package io.archipelago.coordinator.axon;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.axonframework.common.Registration;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.jspecify.annotations.Nullable;

/**
 * The event store as one aggregate type's repository sees it: its aggregates are stored under
 * {@code <scope>:<identifier>}. Axon keys an aggregate's events by identifier alone (the unique
 * {@code (aggregate_identifier, sequence_number)} of {@code domain_event_entry}), while exchange identifiers are
 * chosen per type and may be equal: a host may name its account and its Island {@code alice}. Unscoped, the second
 * {@code alice} could not be created, and loading one would replay the other's events. Identifiers never contain
 * {@code ':'}, so scoped identifiers of different types never meet. Event processors see the scoped identifier.
 */
final class TypeScopedEventStore implements EventStore {

    private final EventStore delegate;
    private final String prefix;

    TypeScopedEventStore(EventStore delegate, String scope) {
        this.delegate = delegate;
        this.prefix = scope + ":";
    }

    String scoped(String aggregateIdentifier) {
        return prefix + aggregateIdentifier;
    }

    @Override
    public void publish(List<? extends EventMessage<?>> events) {
        delegate.publish(events.stream().<EventMessage<?>>map(this::scoped).toList());
    }

    private EventMessage<?> scoped(EventMessage<?> event) {
        if (event instanceof DomainEventMessage<?> domainEvent) {
            return withIdentifier(domainEvent, scoped(domainEvent.getAggregateIdentifier()));
        }
        return event;
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        return unscoped(delegate.readEvents(scoped(aggregateIdentifier)), aggregateIdentifier);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return unscoped(delegate.readEvents(scoped(aggregateIdentifier), firstSequenceNumber), aggregateIdentifier);
    }

    /** The aggregate gets its events back under the identifier it knows itself by. */
    private static DomainEventStream unscoped(DomainEventStream stream, String aggregateIdentifier) {
        return DomainEventStream.of(stream.asStream().map(event -> withIdentifier(event, aggregateIdentifier)),
                stream::getLastSequenceNumber);
    }

    private static DomainEventMessage<?> withIdentifier(DomainEventMessage<?> event, String aggregateIdentifier) {
        return new GenericDomainEventMessage<>(event.getType(), aggregateIdentifier, event.getSequenceNumber(), event,
                event::getTimestamp);
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        delegate.storeSnapshot(withIdentifier(snapshot, scoped(snapshot.getAggregateIdentifier())));
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return delegate.lastSequenceNumberFor(scoped(aggregateIdentifier));
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(@Nullable TrackingToken trackingToken) {
        return delegate.openStream(trackingToken);
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return delegate.createTokenSince(duration);
    }

    @Override
    public Registration subscribe(Consumer<List<? extends EventMessage<?>>> messageProcessor) {
        return delegate.subscribe(messageProcessor);
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super EventMessage<?>> dispatchInterceptor) {
        return delegate.registerDispatchInterceptor(dispatchInterceptor);
    }
}

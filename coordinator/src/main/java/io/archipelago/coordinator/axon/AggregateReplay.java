package io.archipelago.coordinator.axon;

import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Rebuilds an aggregate from its stored events alone, past every cache: what an auditor's replay of the event store
 * gives, to compare with what the coordinator holds in memory.
 */
public final class AggregateReplay {

    private final Supplier<org.axonframework.config.Configuration> axon;

    AggregateReplay(Supplier<org.axonframework.config.Configuration> axon) {
        this.axon = axon;
    }

    /**
     * Replays aggregate {@code id} of {@code type} (Market, Island or Account) into a fresh instance and asks
     * {@code query} of it, in a unit of work of its own that changes nothing.
     *
     * @throws org.axonframework.modelling.command.AggregateNotFoundException when it has no events
     */
    public <A, R> R read(Class<A> type, String id, Function<A, R> query) {
        org.axonframework.config.Configuration configuration = axon.get();
        EventSourcingRepository<A> fresh = EventSourcingRepository.builder(type)
                .aggregateModel(AggregateConfiguration.model(configuration, type))
                .eventStore(new TypeScopedEventStore(configuration.eventStore(), AggregateConfiguration.scopeOf(type)))
                .build();
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            return fresh.load(id).invoke(query);
        } finally {
            unitOfWork.rollback();
        }
    }
}

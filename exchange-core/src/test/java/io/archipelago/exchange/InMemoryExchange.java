package io.archipelago.exchange;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.account.api.Accounts;
import io.archipelago.exchange.fixtures.ProtocolCargoSignatures;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.island.RepositoryIslands;
import io.archipelago.exchange.island.api.Islands;
import io.archipelago.exchange.market.Market;
import io.archipelago.exchange.market.RepositoryMarkets;
import io.archipelago.exchange.market.api.Markets;
import io.archipelago.exchange.publisher.Publisher;
import io.archipelago.exchange.publisher.RepositoryPublishers;
import io.archipelago.exchange.publisher.api.CargoSignatures;
import io.archipelago.exchange.publisher.api.Publishers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;

/**
 * The whole exchange on Axon with an in-memory event store: real aggregates, real ports, real units of work, cached
 * repositories as in production. For property tests that drive random command sequences and then compare the live
 * aggregates with a fresh replay of their events.
 */
public final class InMemoryExchange implements AutoCloseable {

    private final Configuration configuration;

    public InMemoryExchange() {
        this(new InMemoryEventStorageEngine());
    }

    /**
     * An exchange over {@code storage}, which may hold the events of an exchange that came before: a restart after a
     * crash, with every cache and unit of work of the one before gone.
     */
    public InMemoryExchange(EventStorageEngine storage) {
        configuration = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> storage)
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Market.class)
                        .configureCache(c -> new MapCache()))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Island.class)
                        .configureCache(c -> new MapCache()))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Account.class)
                        .configureCache(c -> new MapCache()))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Publisher.class)
                        .configureCache(c -> new MapCache()))
                .registerComponent(Publishers.class,
                        c -> new RepositoryPublishers(() -> c.repository(Publisher.class)))
                .registerComponent(CargoSignatures.class, c -> new ProtocolCargoSignatures())
                .registerComponent(Markets.class, c -> new RepositoryMarkets(() -> c.repository(Market.class)))
                .registerComponent(Accounts.class, c -> new RepositoryAccounts(() -> c.repository(Account.class)))
                .registerComponent(Islands.class, c -> new RepositoryIslands(() -> c.repository(Island.class),
                        c.getComponent(Markets.class)))
                .buildConfiguration();
        configuration.start();
    }

    public CommandGateway gateway() {
        return configuration.commandGateway();
    }

    /** Every event stored so far, in order. */
    public List<EventMessage<?>> events() {
        EventStore store = configuration.eventStore();
        try (var stream = store.openStream(null)) {
            var all = new java.util.ArrayList<EventMessage<?>>();
            while (stream.hasNextAvailable()) {
                all.add(stream.nextAvailable());
            }
            return all;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    public List<Object> payloads() {
        return events().stream().map(EventMessage::getPayload).collect(Collectors.toList());
    }

    /** The state digest of an aggregate as the live (cached) repository holds it. */
    public <A> String liveHash(Class<A> type, String id, Function<A, String> hash) {
        return DefaultUnitOfWork.startAndGet(null).executeWithResult(
                () -> configuration.repository(type).load(id).invoke(hash)).getPayload();
    }

    /** The state digest of an aggregate rebuilt from its events alone by a repository with no cache. */
    public <A> String replayedHash(Class<A> type, String id, Function<A, String> hash) {
        EventSourcingRepository<A> fresh = EventSourcingRepository.builder(type)
                .eventStore(configuration.eventStore())
                .build();
        return DefaultUnitOfWork.startAndGet(null).executeWithResult(
                () -> fresh.load(id).invoke(hash)).getPayload();
    }

    @Override
    public void close() {
        configuration.shutdown();
    }

    /** A plain map standing in for the production Caffeine cache: entries stay until evicted by Axon. */
    private static final class MapCache implements Cache {
        private final Map<Object, Object> entries = new HashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public <K, V> V get(K key) {
            return (V) entries.get(key);
        }

        @Override
        public void put(Object key, Object value) {
            entries.put(key, value);
        }

        @Override
        public boolean putIfAbsent(Object key, Object value) {
            return entries.putIfAbsent(key, value) == null;
        }

        @Override
        public boolean remove(Object key) {
            return entries.remove(key) != null;
        }

        @Override
        public void removeAll() {
            entries.clear();
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public Registration registerCacheEntryListener(EntryListener listener) {
            return () -> true;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
            return (T) entries.computeIfAbsent(key, k -> valueSupplier.get());
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
            entries.computeIfPresent(key, (k, v) -> update.apply((V) v));
        }
    }
}

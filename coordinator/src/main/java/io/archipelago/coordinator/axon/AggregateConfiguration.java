package io.archipelago.coordinator.axon;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.batch.Batch;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.island.RepositoryIslands;
import io.archipelago.exchange.market.Market;
import io.archipelago.exchange.market.RepositoryMarkets;
import io.archipelago.exchange.publisher.Publisher;
import io.archipelago.exchange.publisher.RepositoryPublishers;
import io.archipelago.exchange.rollout.Rollout;
import io.archipelago.exchange.workflow.Workflow;
import java.util.Map;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.modelling.command.RepositorySpanFactory;
import org.axonframework.modelling.command.inspection.AggregateMetaModelFactory;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The exchange's aggregates, registered without {@code @Aggregate} so that exchange-core stays free of Spring: each is
 * event sourced from the JDBC event store under identifiers scoped by type ({@link TypeScopedEventStore}), held in
 * its own {@link CaffeineCache}, and locked per identifier inside this JVM while a unit of work uses it. The ports
 * a command handler receives as extra parameters ({@code Markets}, {@code Islands}, {@code Accounts},
 * {@code Publishers}, {@code CargoSignatures}) are beans Axon
 * resolves by type; they load aggregates in the caller's unit of work, so a bid's reservation and its placement
 * commit together.
 *
 * <p>No snapshots: an aggregate is replayed once per start and then served from its cache. A unit of work that
 * rolls back evicts every aggregate it loaded (their in-memory state may hold applied events), so the next command
 * replays them in full; for a busy market that is the price of each deadlock, conflict between nodes or rejected
 * malformed command.
 */
@Configuration(proxyBeanMethods = false)
class AggregateConfiguration {

    /** The prefix of each type's identifiers in the event store; never change one, stored events carry it. */
    private static final Map<Class<?>, String> SCOPES = Map.of(
            Market.class, "market",
            Island.class, "island",
            Account.class, "account",
            Batch.class, "batch",
            Workflow.class, "workflow",
            Publisher.class, "publisher",
            Rollout.class, "rollout");

    @Bean
    ConfigurerModule exchangeAggregates(@Value("${archipelago.aggregate-cache.maximum-size:10000}") long size) {
        return configurer -> configurer
                .configureAggregate(aggregate(Market.class, size))
                .configureAggregate(aggregate(Island.class, size))
                .configureAggregate(aggregate(Account.class, size))
                .configureAggregate(aggregate(Batch.class, size))
                .configureAggregate(aggregate(Workflow.class, size))
                .configureAggregate(aggregate(Publisher.class, size))
                .configureAggregate(aggregate(Rollout.class, size));
    }

    static String scopeOf(Class<?> type) {
        String scope = SCOPES.get(type);
        if (scope == null) {
            throw new IllegalArgumentException(type + " is not an aggregate of the exchange");
        }
        return scope;
    }

    /**
     * Axon's default event-sourced repository for {@code type}, except that it stores its aggregates under
     * {@code <scope>:<identifier>} ({@link TypeScopedEventStore}) and caches them in a {@link CaffeineCache}.
     */
    private static <A> AggregateConfigurer<A> aggregate(Class<A> type, long cacheSize) {
        return AggregateConfigurer.defaultConfiguration(type).configureRepository(axon ->
                EventSourcingRepository.builder(type)
                        .aggregateModel(model(axon, type))
                        .eventStore(new TypeScopedEventStore(axon.eventStore(), scopeOf(type)))
                        .cache(new CaffeineCache(cacheSize))
                        .repositoryProvider(axon::repository)
                        .spanFactory(axon.getComponent(RepositorySpanFactory.class))
                        .build());
    }

    /** The model the aggregate's command handler uses too: the factory is shared and caches one per type. */
    static <A> AggregateModel<A> model(org.axonframework.config.Configuration axon, Class<A> type) {
        return axon.getComponent(AggregateMetaModelFactory.class,
                        () -> new AnnotatedAggregateMetaModelFactory(axon.parameterResolverFactory(),
                                axon.handlerDefinition(type)))
                .createModel(type);
    }

    @Bean
    Repository<Market> marketRepository(org.axonframework.config.Configuration axon) {
        return axon.repository(Market.class);
    }

    @Bean
    Repository<Island> islandRepository(org.axonframework.config.Configuration axon) {
        return axon.repository(Island.class);
    }

    @Bean
    Repository<Account> accountRepository(org.axonframework.config.Configuration axon) {
        return axon.repository(Account.class);
    }

    @Bean
    Repository<Batch> batchRepository(org.axonframework.config.Configuration axon) {
        return axon.repository(Batch.class);
    }

    @Bean
    Repository<Workflow> workflowRepository(org.axonframework.config.Configuration axon) {
        return axon.repository(Workflow.class);
    }

    @Bean
    Repository<Publisher> publisherRepository(org.axonframework.config.Configuration axon) {
        return axon.repository(Publisher.class);
    }

    @Bean
    RepositoryPublishers publishers(ObjectProvider<org.axonframework.config.Configuration> axon) {
        return new RepositoryPublishers(() -> axon.getObject().repository(Publisher.class));
    }

    @Bean
    Repository<Rollout> rolloutRepository(org.axonframework.config.Configuration axon) {
        return axon.repository(Rollout.class);
    }

    @Bean
    AggregateReplay aggregateReplay(ObjectProvider<org.axonframework.config.Configuration> axon) {
        return new AggregateReplay(axon::getObject);
    }

    /** The suppliers defer to Axon's configuration, which is built after these beans exist. */
    @Bean
    RepositoryMarkets markets(ObjectProvider<org.axonframework.config.Configuration> axon) {
        return new RepositoryMarkets(() -> axon.getObject().repository(Market.class));
    }

    @Bean
    RepositoryIslands islands(ObjectProvider<org.axonframework.config.Configuration> axon, RepositoryMarkets markets) {
        return new RepositoryIslands(() -> axon.getObject().repository(Island.class), markets);
    }

    @Bean
    RepositoryAccounts accounts(ObjectProvider<org.axonframework.config.Configuration> axon) {
        return new RepositoryAccounts(() -> axon.getObject().repository(Account.class));
    }
}

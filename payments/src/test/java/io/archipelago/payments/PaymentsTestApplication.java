package io.archipelago.payments;

import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.account.RepositoryAccounts;
import io.archipelago.exchange.account.api.Accounts;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.island.RepositoryIslands;
import io.archipelago.exchange.island.api.Islands;
import io.archipelago.exchange.market.Market;
import io.archipelago.exchange.market.RepositoryMarkets;
import io.archipelago.exchange.publisher.Publisher;
import io.archipelago.exchange.publisher.RepositoryPublishers;
import io.archipelago.exchange.publisher.api.CargoSignatures;
import io.archipelago.exchange.publisher.api.Publishers;
import io.archipelago.exchange.market.api.Markets;
import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.island.IslandViews;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The payments module as the coordinator runs it, with the exchange's real aggregates and ports on Axon's in-memory
 * event store (commands run in the caller's thread, the payout event handlers and the read models on subscribing
 * processors) and the module's and the read models' tables in an embedded PostgreSQL migrated by Flyway.
 */
@SpringBootApplication
@ComponentScan(basePackageClasses = {PaymentsTestApplication.class, IslandViews.class})
class PaymentsTestApplication {

    /** Payments never publishes a Cargo version: a signature to check here is a mistake of the test. */
    private static final CargoSignatures NO_VERSIONS = new CargoSignatures() {
        @Override
        public String signingKey(String text) {
            throw new IllegalArgumentException("the payments tests register no publisher keys");
        }

        @Override
        public void verify(String signingKey, String repository, String digest, String payload, String signature) {
            throw new IllegalArgumentException("the payments tests publish no Cargo versions");
        }

        @Override
        public void verifyPossession(String signingKey, byte[] challenge, String signature) {
            throw new IllegalArgumentException("the payments tests rotate no publisher keys");
        }
    };

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres() throws IOException {
        return EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres postgres) {
        return postgres.getPostgresDatabase();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "shutdown")
    Configuration axon() {
        Configuration configuration = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureAggregate(Market.class)
                .configureAggregate(Island.class)
                .configureAggregate(Account.class)
                .configureAggregate(Publisher.class)
                .registerComponent(Publishers.class, c -> new RepositoryPublishers(() -> c.repository(Publisher.class)))
                .registerComponent(CargoSignatures.class, c -> NO_VERSIONS)
                .registerComponent(Markets.class, c -> new RepositoryMarkets(() -> c.repository(Market.class)))
                .registerComponent(Accounts.class, c -> new RepositoryAccounts(() -> c.repository(Account.class)))
                .registerComponent(Islands.class, c -> new RepositoryIslands(() -> c.repository(Island.class),
                        c.getComponent(Markets.class)))
                .buildConfiguration();
        configuration.start();
        return configuration;
    }

    @Bean
    CommandGateway commandGateway(Configuration axon) {
        return axon.commandGateway();
    }

    @Bean
    EventStore eventStore(Configuration axon) {
        return axon.eventStore();
    }

    @Bean(initMethod = "start", destroyMethod = "shutDown")
    SubscribingEventProcessor paymentsProcessor(EventStore eventStore, PayoutLedger ledger) {
        return SubscribingEventProcessor.builder()
                .name(PayoutLedger.PROCESSING_GROUP)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(ledger).build())
                .messageSource(eventStore)
                .build();
    }

    /** The read models payments reads (accounts, Islands), projected in the command's own thread. */
    @Bean(initMethod = "start", destroyMethod = "shutDown")
    SubscribingEventProcessor readModels(EventStore eventStore, ApplicationContext context) {
        List<Object> projections = context.getBeansWithAnnotation(ProcessingGroup.class).values().stream()
                .filter(bean -> bean.getClass().getAnnotation(ProcessingGroup.class).value()
                        .equals(ProjectionsConfiguration.PROCESSING_GROUP))
                .toList();
        return SubscribingEventProcessor.builder()
                .name(ProjectionsConfiguration.PROCESSING_GROUP)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(projections).build())
                .messageSource(eventStore)
                .build();
    }
}

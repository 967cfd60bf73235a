package io.archipelago.coordinator.axon;

import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Axon's storage on PostgreSQL through plain JDBC (faster to start and run than JPA, and no large-object columns):
 * events, snapshots, tracking tokens, sagas and dead letters in the tables {@code db/migration/axon} creates. Axon
 * never creates or alters a table itself. Every serializer writes JSON ({@link ExchangeJson}).
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    @Bean
    @Primary
    Serializer serializer() {
        return jackson();
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer() {
        return jackson();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        return jackson();
    }

    static Serializer jackson() {
        return JacksonSerializer.builder().objectMapper(ExchangeJson.objectMapper()).build();
    }

    /** Connections join the Spring transaction of the unit of work, so a command commits all it wrote at once. */
    @Bean
    ConnectionProvider connectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new PostgresDuplicateKeyResolver();
    }

    /**
     * {@code batch-size} events per query, both when an aggregate is replayed and when a processor reads the
     * stream: large enough that a busy market replays in few round trips, small enough to bound memory per query.
     */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer serializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          org.axonframework.config.Configuration axon,
                                          @Value("${archipelago.event-store.batch-size:500}") int batchSize) {
        return JdbcEventStorageEngine.builder()
                .schema(AxonTables.events())
                .dataType(byte[].class)
                .batchSize(batchSize)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(serializer)
                .upcasterChain(axon.upcasterChain())
                .snapshotFilter(axon.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .build();
    }

    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer) {
        return JdbcTokenStore.builder()
                .schema(AxonTables.tokens())
                .contentType(byte[].class)
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .build();
    }

    @Bean
    SagaStore<Object> sagaStore(ConnectionProvider connectionProvider, Serializer serializer) {
        return JdbcSagaStore.builder()
                .sqlSchema(new PostgresSagaSqlSchema(AxonTables.sagas()))
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .build();
    }

    /** Axon's auto-configuration builds a {@code JdbcSequencedDeadLetterQueue} per processing group from this. */
    @Bean
    DeadLetterSchema deadLetterSchema() {
        return AxonTables.deadLetters();
    }
}

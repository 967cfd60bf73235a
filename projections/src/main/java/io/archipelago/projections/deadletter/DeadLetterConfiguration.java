package io.archipelago.projections.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A JDBC dead-letter queue per read-model processor (in the application's {@link DeadLetterSchema}). Their handlers
 * rethrow failures (Axon's default would log and skip the event), so a failing event lands here, parked with every
 * later event of its aggregate, while other aggregates go on; a reset of the processor (a rebuild) empties it. Each
 * handler runs in a savepoint ({@link SavepointPerHandler}), so a failed SQL statement is parked like any other
 * failure. Which aggregates have parked events is cached per segment (Axon's sequence identifier cache), so an event
 * of an aggregate with none costs no query of the queue. The gauge {@code archipelago.dead_letters} counts parked
 * events per processor.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    @Bean
    ConfigurerModule deadLetterQueues(DeadLetterSchema schema, ConnectionProvider connections,
                                      TransactionManager transactions) {
        return configurer -> configurer.eventProcessing(processing -> {
            for (String processor : DeadLetters.PROCESSORS) {
                processing.registerDeadLetterQueue(processor, axon -> JdbcSequencedDeadLetterQueue
                                .<org.axonframework.eventhandling.EventMessage<?>>builder()
                                .processingGroup(processor)
                                .schema(schema)
                                .connectionProvider(connections)
                                .transactionManager(transactions)
                                .genericSerializer(axon.serializer())
                                .eventSerializer(axon.eventSerializer())
                                .build())
                        .registerDeadLetteringEventHandlerInvokerConfiguration(processor,
                                (axon, invoker) -> invoker.allowReset(true)
                                .enableSequenceIdentifierCache());
            }
        });
    }

    @Bean
    SavepointPerHandler savepointPerHandler(ObjectProvider<PlatformTransactionManager> transactions) {
        return new SavepointPerHandler(transactions);
    }

    @Bean
    DeadLetters deadLetters(ObjectProvider<org.axonframework.config.Configuration> axon,
                            TransactionManager transactions, ObjectProvider<MeterRegistry> meters) {
        DeadLetters letters = new DeadLetters(axon::getObject, transactions);
        meters.ifAvailable(registry -> {
            for (String processor : DeadLetters.PROCESSORS) {
                Gauge.builder("archipelago.dead_letters", letters,
                                counted -> counted.counts().getOrDefault(processor, 0L))
                        .description("Events parked in a processor's dead-letter queue")
                        .tag("processor", processor)
                        .register(registry);
            }
        });
        return letters;
    }
}

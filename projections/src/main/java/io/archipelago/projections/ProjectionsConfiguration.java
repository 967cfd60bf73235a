package io.archipelago.projections;

import java.time.Duration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The read models and their queries. Every projection belongs to one pooled streaming processor,
 * {@value #PROCESSING_GROUP}, whose tracking tokens live in the application's JDBC token store; the tables come from
 * the Flyway migrations in {@code classpath:db/migration/projections}, which the application's Flyway must include.
 */
@AutoConfiguration
@ComponentScan(basePackages = {"io.archipelago.projections.account", "io.archipelago.projections.batch",
        "io.archipelago.projections.cache", "io.archipelago.projections.job", "io.archipelago.projections.market",
        "io.archipelago.projections.registry", "io.archipelago.projections.rollout",
        "io.archipelago.projections.workflow"})
public class ProjectionsConfiguration {

    /** The processing group, and processor, of every read model. */
    public static final String PROCESSING_GROUP = "projections";

    /**
     * Events handled per transaction unless {@code archipelago.projections.batch-size} says otherwise: fewer commits
     * while catching up, little to redo after a crash.
     */
    static final int BATCH_SIZE = 100;

    /** Segments the stream is split into (by aggregate), so several threads or nodes can share the work. */
    static final int SEGMENTS = 4;

    /**
     * A failing handler stops the processor, which retries the batch with back-off, instead of skipping the event
     * and leaving a read model silently wrong.
     */
    /** Read-your-writes over the read models, waiting at most {@code archipelago.read-your-writes.max-wait}. */
    @Bean
    ReadYourWrites readYourWrites(ObjectProvider<EventStore> eventStore,
                                  ObjectProvider<EventProcessingConfiguration> processing,
                                  @Value("${archipelago.read-your-writes.max-wait:2s}") Duration maxWait) {
        return new ReadYourWrites(eventStore::getIfAvailable, processing::getIfAvailable, maxWait);
    }

    /** The read models' writes, batched while replaying. */
    @Bean
    ReadModelWrites readModelWrites(NamedParameterJdbcTemplate jdbc) {
        return new ReadModelWrites(jdbc);
    }

    @Bean
    ConfigurerModule projectionsProcessor(
            @Value("${archipelago.projections.batch-size:" + BATCH_SIZE + "}") int batchSize) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessor(PROCESSING_GROUP,
                        axon -> axon.eventStore(),
                        (axon, builder) -> builder.batchSize(batchSize).initialSegmentCount(SEGMENTS))
                .registerListenerInvocationErrorHandler(PROCESSING_GROUP, axon -> PropagatingErrorHandler.instance()));
    }
}

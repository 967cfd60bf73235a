package io.archipelago.projections.chain;

import io.archipelago.projections.CheckpointWitness;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hash chain's own tracking processor, {@value #PROCESSING_GROUP}: one segment and one thread, because each link
 * depends on the one before; a failure stops and retries it, never skips an event. Its head is signed by
 * {@link ChainCheckpoints} every {@code archipelago.event-chain.checkpoint-every-links} links (1000), at the latest
 * {@code archipelago.event-chain.checkpoint-interval} (60 s) after a link, and at shutdown, with this node's
 * {@link ChainSigningKey}, naming the node: {@code archipelago.event-chain.node-id}, by default the cluster's
 * {@code archipelago.cluster.node-id}, and without either the key's own id ({@link ChainSigningKey#keyId()}).
 */
@Configuration(proxyBeanMethods = false)
class ChainConfiguration {

    /** The processing group, and processor, of the hash chain. */
    static final String PROCESSING_GROUP = "event-chain";

    @Bean
    EventChainWriter eventChainWriter(JdbcTemplate jdbc, ChainCheckpoints checkpoints) {
        return new EventChainWriter(jdbc, checkpoints);
    }

    @Bean
    ChainCheckpoints chainCheckpoints(@Value("${archipelago.data-dir:./data}") Path dataDir,
                                      @Value("${archipelago.event-chain.signing-key:#{null}}") @Nullable String key,
                                      @Value("${archipelago.event-chain.public-key:#{null}}")
                                      @Nullable String publicKey,
                                      @Value("${archipelago.event-chain.node-id:${archipelago.cluster.node-id:}}")
                                      String node,
                                      @Value("${archipelago.event-chain.checkpoint-every-links:1000}") long every,
                                      @Value("${archipelago.event-chain.checkpoint-interval:60s}") Duration interval,
                                      List<CheckpointWitness> witnesses) {
        ChainSigningKey signingKey = ChainSigningKey.of(key, publicKey, dataDir);
        return new ChainCheckpoints(dataDir, signingKey, node.isBlank() ? signingKey.keyId() : node.strip(), every,
                interval, Clock.systemUTC(), witnesses);
    }

    @Bean
    ConfigurerModule eventChainProcessor(@Value("${archipelago.event-chain.batch-size:500}") int batchSize) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(PROCESSING_GROUP,
                        axon -> axon.eventStore(),
                        axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(batchSize)
                                .andInitialSegmentsCount(1))
                .registerListenerInvocationErrorHandler(PROCESSING_GROUP,
                        axon -> PropagatingErrorHandler.instance()));
    }
}

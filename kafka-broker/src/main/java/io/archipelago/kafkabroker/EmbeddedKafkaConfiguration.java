package io.archipelago.kafkabroker;

import io.archipelago.projections.export.KafkaBootstrap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;

/**
 * Without {@code KAFKA_BOOTSTRAP}, the coordinator runs its own single-node Kafka (KRaft, no ZooKeeper) inside its
 * JVM on {@code archipelago.kafka.port} (0 picks a free port), so that the export works out of the box and
 * {@code kcat -b localhost:<port>} can read it. Its log lives in a temporary directory: the topic starts empty at
 * every start and the export fills it again from the first event. {@code archipelago.kafka.embedded=false} turns it
 * off.
 */
@AutoConfiguration
@ConditionalOnExpression("'${KAFKA_BOOTSTRAP:}'.isBlank() and ${archipelago.kafka.embedded:true}")
public class EmbeddedKafkaConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedKafka embeddedKafka(@Value("${archipelago.kafka.port:9092}") int port) {
        return EmbeddedKafka.start(port);
    }

    @Bean
    KafkaBootstrap embeddedKafkaBootstrap(EmbeddedKafka embeddedKafka) {
        return new KafkaBootstrap() {
            @Override
            public String servers() {
                return embeddedKafka.bootstrapServers();
            }

            @Override
            public boolean ephemeral() {
                return true;
            }
        };
    }
}

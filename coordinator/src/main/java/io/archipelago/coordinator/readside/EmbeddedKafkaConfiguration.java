package io.archipelago.coordinator.readside;

import io.archipelago.embedded.kafka.EmbeddedKafka;
import io.archipelago.projections.export.KafkaBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Without {@code KAFKA_BOOTSTRAP}, the coordinator runs its own single-node Kafka (KRaft, no ZooKeeper) inside its
 * JVM on a free port of localhost, so that the export works out of the box. The address is logged and written to
 * {@code <archipelago.data-dir>/kafka-bootstrap}, so that {@code kcat -b $(cat data/kafka-bootstrap)} can read the
 * topic (the broker takes a free port at every start). Its log lives in {@code <archipelago.data-dir>/kafka}, emptied
 * at every start: the topic starts empty and the export fills it again from the first event.
 * {@code archipelago.kafka.embedded=false} turns it off. The broker is the {@code embedded} module's.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${KAFKA_BOOTSTRAP:}'.isBlank() and ${archipelago.kafka.embedded:true}")
class EmbeddedKafkaConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedKafka embeddedKafka(@Value("${archipelago.data-dir:./data}") Path dataDir) throws IOException {
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
        Files.writeString(dataDir.resolve("kafka-bootstrap"), kafka.bootstrapServers() + System.lineSeparator());
        return kafka;
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

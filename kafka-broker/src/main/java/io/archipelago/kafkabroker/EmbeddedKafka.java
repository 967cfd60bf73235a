package io.archipelago.kafkabroker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A single-node KRaft Kafka in this JVM, as Kafka's own test kit runs one: a combined broker and controller on
 * loopback, its log in a temporary directory removed when it stops.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final EmbeddedKafkaKraftBroker broker;

    private EmbeddedKafka(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    /** Starts a broker listening on a free port of localhost ({@link #bootstrapServers()} tells which). */
    public static EmbeddedKafka start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("auto.create.topics.enable", "false");
        broker.brokerProperty("log.retention.ms", "-1");
        broker.afterPropertiesSet();
        LOG.info("Embedded Kafka (KRaft) at {}", broker.getBrokersAsString());
        return new EmbeddedKafka(broker);
    }

    /** {@code host:port} of the broker, for Kafka clients and {@code kcat -b}. */
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public void close() {
        broker.destroy();
    }
}

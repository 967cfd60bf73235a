package io.archipelago.kafkabroker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

    /**
     * Starts a broker listening on {@code port} of localhost, or on a free port when {@code port} is 0 or already
     * taken (by another coordinator on this machine, or another test's).
     */
    public static EmbeddedKafka start(int port) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.kafkaPorts(port == 0 || isFree(port) ? port : 0);
        broker.brokerProperty("auto.create.topics.enable", "false");
        broker.brokerProperty("log.retention.ms", "-1");
        broker.afterPropertiesSet();
        LOG.info("Embedded Kafka (KRaft) at {}", broker.getBrokersAsString());
        return new EmbeddedKafka(broker);
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            LOG.info("Port {} is taken; the embedded Kafka takes a free one", port);
            return false;
        }
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

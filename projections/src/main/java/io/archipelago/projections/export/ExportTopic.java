package io.archipelago.projections.export;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The export topic, created on first use when the cluster does not have it: partitions spread the aggregates, and the
 * key (aggregate identifier) keeps each aggregate's events in one partition, in order.
 */
final class ExportTopic {

    private final String name;
    private final int partitions;
    private final short replicationFactor;
    private final String bootstrapServers;
    private volatile boolean exists;

    ExportTopic(String name, int partitions, short replicationFactor, String bootstrapServers) {
        this.name = name;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.bootstrapServers = bootstrapServers;
    }

    String name() {
        return name;
    }

    /** Creates the topic unless it is known to exist; a failure fails the batch, which is retried. */
    void ensureExists() {
        if (exists) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (!topics.contains(name)) {
                admin.createTopics(List.of(new NewTopic(name, partitions, replicationFactor)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            exists = true;
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof TopicExistsException) {
                exists = true;
                return;
            }
            throw new IllegalStateException("could not create Kafka topic " + name, failed);
        } catch (TimeoutException failed) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer", failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topic " + name, interrupted);
        }
    }
}

package io.archipelago.projections.export;

/**
 * Where the export finds Kafka: the bootstrap servers of a cluster, and whether that cluster forgets its topics when
 * the coordinator stops (the embedded broker does), in which case the export starts again from the first event.
 */
public interface KafkaBootstrap {

    /** Comma-separated {@code host:port} pairs, as Kafka clients take them. */
    String servers();

    /** Whether the topics start empty at every start of the coordinator. */
    boolean ephemeral();
}

package io.archipelago.projections;

/**
 * A copy of every signed checkpoint of the event chain kept somewhere else than the data directory, such as the Kafka
 * export: what an auditor can compare with when the file is lost. Given the link the checkpoint covers and its JSON
 * line; called on the thread that signs, so it must not block for long.
 */
public interface CheckpointWitness {

    void witness(long position, String line);
}

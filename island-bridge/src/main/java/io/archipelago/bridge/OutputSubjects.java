package io.archipelago.bridge;

import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.protocol.Subjects;
import io.nats.client.Dispatcher;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The subjects a node hears Islands' job output on: one {@link Subjects#results} subject per job it dispatched, from
 * just before the offer goes out (a subscription reaches the server before the offer sent after it on the same
 * connection, so no early chunk is missed) until the job ends here. A node thus hears the output of its own jobs
 * only, whatever the number of nodes; output nobody dispatched (a forged job, an Island still streaming a job that
 * was taken from it) is delivered to no one.
 */
final class OutputSubjects {

    private final Set<String> heard = new HashSet<>();
    private @Nullable Dispatcher dispatcher;

    /** Starts hearing on {@code results}, including the subjects of jobs dispatched before it existed. */
    synchronized void attach(Dispatcher results) {
        dispatcher = results;
        for (String subject : heard) {
            results.subscribe(subject);
        }
    }

    synchronized void hear(IslandId islandId, JobId jobId) {
        String subject = Subjects.results(islandId.value(), jobId.value());
        if (heard.add(subject) && dispatcher != null) {
            dispatcher.subscribe(subject);
        }
    }

    synchronized void stopHearing(IslandId islandId, JobId jobId) {
        String subject = Subjects.results(islandId.value(), jobId.value());
        if (heard.remove(subject) && dispatcher != null && dispatcher.isActive()) {
            dispatcher.unsubscribe(subject);
        }
    }

    /** How many job output subjects this node hears. */
    synchronized int size() {
        return heard.size();
    }

    synchronized void detach() {
        dispatcher = null;
    }
}

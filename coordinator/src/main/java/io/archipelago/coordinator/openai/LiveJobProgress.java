package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.bridge.stream.JobStreams;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.bridge.stream.StreamSubscription;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tokens of the running jobs of a batch or a workflow, on its progress stream: once a subscriber has caught up
 * with the read model, each job whose {@code started} event came and whose end has not is followed on its output
 * stream (from its first chunk, on whichever node the client is), and each text chunk goes out as a {@code progress}
 * event carrying the started event's fields, the chunk's {@code seq} and its {@code delta}. Live only: the read
 * model keeps none of them, so a stream replayed after the work ended holds none; a chunk that arrives after its job's
 * end event was sent is dropped (the end carries the whole result).
 */
final class LiveJobProgress implements ProgressStream.Tap {

    private final JobStreams streams;
    private final ObjectMapper json;
    private final String started;
    private final String progress;
    private final Set<String> ends;
    /** Jobs started and not ended, by job id: their started event's data. */
    private final Map<String, ObjectNode> running = new LinkedHashMap<>();
    private final Map<String, StreamSubscription> followed = new LinkedHashMap<>();
    private boolean closed;

    LiveJobProgress(JobStreams streams, ObjectMapper json, String started, String progress, Set<String> ends) {
        this.streams = streams;
        this.json = json;
        this.started = started;
        this.progress = progress;
        this.ends = Set.copyOf(ends);
    }

    /** A workflow's steps: {@code step_progress} between {@code step_started} and the step's end. */
    static LiveJobProgress ofWorkflow(JobStreams streams, ObjectMapper json) {
        return new LiveJobProgress(streams, json, "step_started", "step_progress",
                Set.of("step_completed", "step_retried", "step_failed", "step_cancelled"));
    }

    /** A batch's items: {@code item_progress} between {@code item_started} and the item's end. */
    static LiveJobProgress ofBatch(JobStreams streams, ObjectMapper json) {
        return new LiveJobProgress(streams, json, "item_started", "item_progress",
                Set.of("item_completed", "item_retried", "item_failed"));
    }

    @Override
    public synchronized void passed(ProgressStream.Event event) {
        if (!event.type().equals(started) && !ends.contains(event.type())) {
            return;
        }
        ObjectNode data;
        try {
            JsonNode read = json.readTree(event.data());
            if (!(read instanceof ObjectNode object) || !object.path("job_id").isTextual()) {
                return;
            }
            data = object;
        } catch (JsonProcessingException unreadable) {
            return;
        }
        String job = data.path("job_id").asText();
        if (event.type().equals(started)) {
            running.put(job, data);
        } else {
            running.remove(job);
            StreamSubscription subscription = followed.remove(job);
            if (subscription != null) {
                subscription.close();
            }
        }
    }

    @Override
    public synchronized void caughtUp(ProgressStream.Sink sink) {
        if (closed) {
            return;
        }
        for (Map.Entry<String, ObjectNode> job : running.entrySet()) {
            if (!followed.containsKey(job.getKey())) {
                followed.put(job.getKey(), streams.subscribe(job.getKey(), new Relay(job.getKey(), job.getValue(),
                        sink)));
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        followed.values().forEach(StreamSubscription::close);
        followed.clear();
        running.clear();
    }

    private synchronized boolean follows(String job) {
        return !closed && followed.containsKey(job);
    }

    /** One job's text chunks as progress events. */
    private final class Relay implements JobStreamListener {
        private final String job;
        private final ObjectNode started;
        private final ProgressStream.Sink sink;

        Relay(String job, ObjectNode started, ProgressStream.Sink sink) {
            this.job = job;
            this.started = started;
            this.sink = sink;
        }

        @Override
        public void onChunk(StreamChunk chunk) {
            String delta = chunk.text();
            if (delta.isEmpty() || !follows(job)) {
                return;
            }
            sink.send(progress, started.deepCopy().put("seq", chunk.seq()).put("delta", delta).toString());
        }

        @Override
        public void onCompleted(long units) {
            // the end comes as the read model's event
        }

        @Override
        public void onFailed(String reason) {
            // as does a failure or a retry
        }
    }
}

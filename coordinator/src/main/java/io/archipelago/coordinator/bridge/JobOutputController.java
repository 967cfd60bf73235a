package io.archipelago.coordinator.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.InputTooLarge;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.stream.JobStreamListener;
import io.archipelago.bridge.stream.StreamChunk;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.access.Principal;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.JobId;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A job's input and raw output over HTTP, for operators and the demo until the OpenAI-compatible API streams it:
 * {@code PUT /jobs/{jobId}/input} leaves the input (a JSON object such as {@code {"prompt": "..."}}) before the
 * job's bid is submitted, and answers 204 once it is stored in PostgreSQL (413 when it is over
 * {@code archipelago.inputs.max-bytes}, and nothing is stored); {@code GET /jobs/{jobId}/output} streams its chunks
 * as server-sent events ({@code chunk}, then {@code completed} with the units or {@code failed} with the reason);
 * a client that reconnects, to this node or another, with {@code Last-Event-ID} resumes after the chunk it names.
 */
@RestController
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class JobOutputController {

    private static final long STREAM_TIMEOUT_MILLIS = 15 * 60 * 1000L;

    private final IslandBridge bridge;

    JobOutputController(IslandBridge bridge) {
        this.bridge = bridge;
    }

    @PutMapping("/jobs/{jobId}/input")
    ResponseEntity<Void> input(@PathVariable String jobId, @RequestBody ObjectNode input,
                               @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                               @Nullable AccountId account) {
        bridge.inputs().put(new JobId(jobId).value(), account == null ? null : account.value(), input);
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(InputTooLarge.class)
    ResponseEntity<ProblemDetail> inputTooLarge(InputTooLarge failure) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, failure.getMessage());
        problem.setTitle("Input too large");
        problem.setProperty("limitBytes", failure.limit());
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @GetMapping(path = "/jobs/{jobId}/output", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter output(@PathVariable String jobId,
                      @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
        long resumeAfter = resumeAfter(lastEventId);
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
        StreamSubscription subscription = bridge.streams().subscribe(new JobId(jobId).value(),
                new JobStreamListener() {
                    @Override
                    public void onChunk(StreamChunk chunk) {
                        if (chunk.seq() <= resumeAfter) {
                            return;
                        }
                        send(emitter, SseEmitter.event().name("chunk").id(String.valueOf(chunk.seq()))
                                .data(Map.of("seq", chunk.seq(), "text", chunk.text())));
                    }

                    @Override
                    public void onCompleted(long units) {
                        send(emitter, SseEmitter.event().name("completed").data(Map.of("units", units)));
                        emitter.complete();
                    }

                    @Override
                    public void onFailed(String reason) {
                        send(emitter, SseEmitter.event().name("failed").data(Map.of("reason", reason)));
                        emitter.complete();
                    }
                });
        emitter.onCompletion(subscription::close);
        emitter.onTimeout(subscription::close);
        emitter.onError(failure -> subscription.close());
        return emitter;
    }

    /**
     * The last chunk a reconnecting client saw, from the standard {@code Last-Event-ID} header (each chunk's event id
     * is its sequence number): the stream resumes after it, on any node. Absent: from the first chunk.
     */
    private static long resumeAfter(@Nullable String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return -1;
        }
        try {
            long seq = Long.parseLong(lastEventId.trim());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                "Last-Event-ID is the sequence number of a chunk (a whole number from 0), not " + lastEventId);
    }

    private static void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException gone) {
            // the client left: the emitter's error callback closes the subscription
            emitter.completeWithError(gone);
        }
    }
}

package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.command.web.Commands;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * A whole (not streamed) answer of the OpenAI door, the same for every kind of job: it waits for the job without
 * holding a worker thread, ends within {@code bound} with the answer or a named error, and lets the job go when its
 * client leaves first.
 */
final class WholeAnswer {

    /** What a whole answer needs of its job's relay. */
    interface Relay {

        /** Completes with the units settled, or with why the job failed. */
        CompletableFuture<Long> finished();

        /** The client is gone. */
        void left();

        /** The bound passed first. */
        void timedOut(OpenAiException failure);
    }

    private WholeAnswer() {
    }

    /** The answer {@code body} gives once {@code relay} finished, with {@code headers}. */
    static DeferredResult<ResponseEntity<ObjectNode>> of(Duration bound, Relay relay, HttpHeaders headers,
                                                          Supplier<ObjectNode> body) {
        DeferredResult<ResponseEntity<ObjectNode>> whole = new DeferredResult<>(bound.toMillis());
        whole.onTimeout(() -> relay.timedOut(timeout(bound)));
        whole.onError(failure -> relay.left());
        relay.finished().whenComplete((units, failure) -> {
            if (failure != null) {
                whole.setErrorResult(Commands.unwrap(failure));
            } else {
                whole.setResult(ResponseEntity.ok().headers(headers).contentType(MediaType.APPLICATION_JSON)
                        .body(body.get()));
            }
        });
        return whole;
    }

    /** The error of a job that did not end within {@code bound}. */
    static OpenAiException timeout(Duration bound) {
        return new OpenAiException(HttpStatus.GATEWAY_TIMEOUT, "server_error", "timeout",
                "the job did not complete within " + bound.toSeconds() + " s");
    }
}

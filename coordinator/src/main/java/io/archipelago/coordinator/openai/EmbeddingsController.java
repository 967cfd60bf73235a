package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.command.web.Commands;
import io.archipelago.access.Principal;
import io.archipelago.exchange.ids.AccountId;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * OpenAI's embeddings over the exchange: {@code model} names an embeddings Cargo type, the request becomes one job of
 * the key's account ({@link EmbeddingJobs}), and the Island's vectors (one chunk per text) come back as one
 * {@code list} in input order, as JSON numbers or Base64 float32 ({@code encoding_format}).
 */
@RestController
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class EmbeddingsController {

    private static final Duration EMBEDDING_TIMEOUT = Duration.ofMinutes(5);

    private final EmbeddingJobs jobs;

    EmbeddingsController(EmbeddingJobs jobs) {
        this.jobs = jobs;
    }

    @PostMapping(path = "/v1/embeddings", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> embeddings(@RequestBody JsonNode request,
                                          @RequestAttribute(Principal.ACCOUNT_ATTRIBUTE) AccountId account,
                                          @RequestHeader HttpHeaders headers) {
        String id = "emb-" + UUID.randomUUID();
        EmbeddingRelay relay = jobs.place(id, request, account, headers);
        ObjectNode response = awaitEmbeddings(relay);
        return ResponseEntity.ok().header("X-Archipelago-Job-Id", id).body(response);
    }

    private static ObjectNode awaitEmbeddings(EmbeddingRelay relay) {
        try {
            return relay.finished().get(EMBEDDING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            throw Commands.unwrap(failed.getCause());
        } catch (InterruptedException | TimeoutException late) {
            if (late instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            OpenAiException timeout = new OpenAiException(HttpStatus.GATEWAY_TIMEOUT, "server_error", "timeout",
                    "the job did not complete in time");
            // ends the relay, which closes the job's subscription
            relay.finished().completeExceptionally(timeout);
            throw timeout;
        }
    }
}

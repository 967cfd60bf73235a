package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.exchange.ids.AccountId;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Turns an OpenAI embeddings request into a job on the exchange, for the HTTP endpoint and the WebSocket alike: the
 * request is checked, its texts left as the job's input ({@code {"input": [texts]}}) and the job placed by the
 * {@link JobDesk} with terms from {@link BidTermsResolver}. The job's subscription is closed when its relay ends,
 * however it ends: completing the relay's {@code finished} from outside lets go of the job.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class EmbeddingJobs {

    private final JobDesk desk;
    private final BidTermsResolver terms;
    private final EmbeddingModels models;
    private final ObjectMapper json;

    EmbeddingJobs(JobDesk desk, BidTermsResolver terms, EmbeddingModels models, ObjectMapper json) {
        this.desk = desk;
        this.terms = terms;
        this.models = models;
        this.json = json;
    }

    /**
     * Places job {@code jobId} of {@code account} for the embeddings request {@code body}.
     *
     * @throws OpenAiException when the request is malformed or the exchange refuses the job
     */
    EmbeddingRelay place(String jobId, JsonNode body, AccountId account, HttpHeaders headers) {
        EmbeddingsRequest request = EmbeddingsRequest.of(body);
        desk.requireModel(request.model());
        models.requireEmbeddings(request.model());
        models.check(request);
        ObjectNode input = request.input(json);
        BidTerms bid = terms.resolve(account, headers, body);
        EmbeddingRelay relay = new EmbeddingRelay(json, request, models.dimensions(request.model()), desk.bidTtl());
        StreamSubscription subscription = desk.place(jobId, request.model(), account, bid, input, relay);
        relay.finished().whenComplete((response, failure) -> subscription.close());
        return relay;
    }
}

package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.market.api.PipelineShape;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Turns an OpenAI embeddings request into a job on the exchange, for the HTTP endpoint and the WebSocket alike: the
 * request is checked, its texts left as the job's input ({@code {"input": [texts]}}) and the job placed by the
 * {@link JobDesk} with terms from {@link BidTermsResolver}: as a bid on one Island, or, for a Cargo type declared a
 * pipeline, on one Island per stage. The job's subscription is closed when its relay ends,
 * however it ends: completing the relay's {@code finished} from outside lets go of the job.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class EmbeddingJobs {

    private final JobDesk desk;
    private final BidTermsResolver terms;
    private final EmbeddingModels models;
    private final ObjectMapper json;
    private final IslandBridge bridge;

    EmbeddingJobs(JobDesk desk, BidTermsResolver terms, EmbeddingModels models, ObjectMapper json,
                  IslandBridge bridge) {
        this.bridge = bridge;
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
        Optional<PipelineShape> pipeline = bridge.pipelineOf(request.model());
        StreamSubscription subscription = pipeline.isPresent()
                ? desk.placePipeline(jobId, request.model(), account, bid, input, relay, pipeline.get())
                : desk.place(jobId, request.model(), account, bid, input, relay);
        relay.finished().whenComplete((response, failure) -> subscription.close());
        return relay;
    }
}

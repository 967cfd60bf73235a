package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.exchange.ids.AccountId;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Where image requests become jobs, for the HTTP door and the WebSocket alike: the bid terms of chat with exactly
 * {@code n} units reserved, the job placed by the {@link JobDesk}, its output relayed by an {@link ImageRelay}, and
 * a client that leaves (or an Island whose output is refused) cancelling the job at the images that reached it.
 * Image URLs start at {@code archipelago.images.public-url} when set, else at the address the request came to.
 */
@Component
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class ImageJobs {

    private final JobDesk desk;
    private final BidTermsResolver terms;
    private final ImageArtifacts artifacts;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration jobDeadline;
    private final @Nullable String publicUrl;

    ImageJobs(JobDesk desk, BidTermsResolver terms, ImageArtifacts artifacts, ObjectMapper json, Clock clock,
              @Value("${archipelago.bridge.job-deadline:10m}") Duration jobDeadline,
              @Value("${archipelago.images.public-url:}") String publicUrl) {
        this.desk = desk;
        this.terms = terms;
        this.artifacts = artifacts;
        this.json = json;
        this.clock = clock;
        this.jobDeadline = jobDeadline;
        this.publicUrl = publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
    }

    /**
     * Places the job and relays its output to {@code sink} (null: gathered whole); the relay's onGone cancels
     * the job at the images that reached the client.
     */
    ImageRelay place(String jobId, ImageRequest request, JsonNode body, AccountId account, HttpHeaders headers,
                     String base, ImageRelay.@Nullable Sink sink) {
        desk.requireModel(request.model());
        BidTerms resolved = terms.resolve(account, headers, body);
        // an image job's units are its images: the bid reserves for exactly n, whatever else it says
        BidTerms bid = new BidTerms(resolved.limitMicroCredits(), request.n(), resolved.jurisdiction(),
                resolved.minKarma(), resolved.maxRttMicros(), resolved.verifiedOnly());
        ImageRelay relay = new ImageRelay(json, artifacts, jobId, account.value(), request,
                clock.instant().getEpochSecond(), publicUrl != null ? publicUrl : base, desk.bidTtl(), sink);
        relay.onGone((images, reason) -> desk.cancelAtUnits(request.model(), jobId, images, reason));
        StreamSubscription subscription = desk.place(jobId, request.model(), account, bid,
                request.input(json), relay);
        relay.finished().whenComplete((units, failure) -> subscription.close());
        return relay;
    }

    Object serve(ImageRequest request, JsonNode body, AccountId account, HttpHeaders headers, String base) {
        String jobId = "img-" + UUID.randomUUID();
        Duration bound = desk.bidTtl().plus(jobDeadline).plus(Duration.ofSeconds(30));
        HttpHeaders answer = new HttpHeaders();
        answer.set("X-Archipelago-Job-Id", jobId);
        if (request.stream()) {
            ResponseBodyEmitter emitter = new ResponseBodyEmitter(bound.toMillis());
            ImageRelay relay = place(jobId, request, body, account, headers, base, new ImageEventStream(emitter, json));
            ScheduledFuture<?> beat = desk.keepAlive(relay::beat);
            relay.started().whenComplete((ignored, failure) -> beat.cancel(false));
            emitter.onTimeout(() -> relay.timedOut(WholeAnswer.timeout(bound)));
            emitter.onError(failure -> relay.left());
            emitter.onCompletion(() -> {
                beat.cancel(false);
                relay.left();
            });
            answer.setCacheControl("no-cache");
            return ResponseEntity.ok().headers(answer).contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
        }
        ImageRelay relay = place(jobId, request, body, account, headers, base, null);
        return WholeAnswer.of(bound, relay, answer, relay::response);
    }
}

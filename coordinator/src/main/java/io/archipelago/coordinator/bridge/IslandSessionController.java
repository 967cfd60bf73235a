package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.nats.IslandAdmission;
import io.archipelago.protocol.IslandSession;
import io.archipelago.protocol.SessionProof;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Hands a registered Island its NATS session: where to connect and its own NKey seed, whose user may touch only the
 * Island's subjects. The first session of an Island is free; a new one replaces the previous key and needs a
 * {@link SessionProof} signed with it (headers {@value SessionProof#TIME_HEADER} and
 * {@value SessionProof#SIGNATURE_HEADER}), so nobody who merely knows an Island's id can take over its jobs. A session
 * the NATS server could not take is a 503 that changes nothing.
 */
@RestController
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class IslandSessionController {

    private final IslandBridge bridge;
    private final NatsEndpoint endpoint;
    private final Clock clock;

    IslandSessionController(IslandBridge bridge, NatsEndpoint endpoint, Clock clock) {
        this.bridge = bridge;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    @PostMapping("/islands/{islandId}/session")
    ResponseEntity<?> open(@PathVariable String islandId,
                           @RequestHeader(name = SessionProof.TIME_HEADER, required = false) @Nullable Long time,
                           @RequestHeader(name = SessionProof.SIGNATURE_HEADER, required = false)
                           @Nullable String signature) {
        if (!bridge.knows(islandId)) {
            return problem(HttpStatus.NOT_FOUND, "Unknown island",
                    "island " + islandId + " is not registered (or its registration is not processed yet)");
        }
        SessionProof proof = time == null || signature == null ? null : new SessionProof(time, signature);
        try {
            IslandSession session = endpoint.admission().admit(islandId, proof, clock.instant());
            return ResponseEntity.ok(session);
        } catch (IslandAdmission.SessionRefused refused) {
            return problem(HttpStatus.CONFLICT, "Island session held", refused.getMessage());
        } catch (UncheckedIOException unavailable) {
            // nothing was kept: the Island's earlier key, if any, still opens its next session
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "NATS unavailable", unavailable.getMessage());
        }
    }

    private static ResponseEntity<?> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.of(problem).build();
    }
}

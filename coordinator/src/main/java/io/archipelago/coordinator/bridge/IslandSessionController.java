package io.archipelago.coordinator.bridge;

import io.archipelago.bridge.IslandBridge;
import io.archipelago.protocol.IslandSession;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Hands a registered Island its NATS session: where to connect and its own NKey seed, whose user may touch only the
 * Island's subjects. A new session replaces the Island's previous key.
 */
@RestController
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class IslandSessionController {

    private final IslandBridge bridge;
    private final NatsEndpoint endpoint;

    IslandSessionController(IslandBridge bridge, NatsEndpoint endpoint) {
        this.bridge = bridge;
        this.endpoint = endpoint;
    }

    @PostMapping("/islands/{islandId}/session")
    ResponseEntity<?> open(@PathVariable String islandId) {
        if (!bridge.knows(islandId)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "island " + islandId + " is not registered (or its registration is not processed yet)");
            problem.setTitle("Unknown island");
            return ResponseEntity.of(problem).build();
        }
        IslandSession session = endpoint.admission().admit(islandId);
        return ResponseEntity.ok(session);
    }
}

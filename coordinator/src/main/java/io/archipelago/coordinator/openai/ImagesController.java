package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.access.Principal;
import io.archipelago.exchange.ids.AccountId;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * OpenAI's image generation over the exchange: {@code model} names a Cargo type priced per image, each request
 * becomes one job of the key's account placed by the {@link JobDesk} (the same bid terms, escrow, idempotency and
 * named errors as chat) whose most units are its {@code n} images, and the Island's progress and images come back
 * whole (OpenAI's images response, {@code b64_json} or signed {@code url}s) or streamed ({@code stream: true}):
 * {@code progress} events and one {@code image_generation.completed} event per image, as server-sent events named
 * by their {@code type}. {@code GET /v1/images/files/...} serves a signed URL without a key until it expires.
 */
@RestController
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class ImagesController {

    private final ImageJobs jobs;
    private final ImageArtifacts artifacts;

    ImagesController(ImageJobs jobs, ImageArtifacts artifacts) {
        this.jobs = jobs;
        this.artifacts = artifacts;
    }

    @PostMapping(path = "/v1/images/generations")
    Object generate(@RequestBody JsonNode body, @RequestAttribute(Principal.ACCOUNT_ATTRIBUTE) AccountId account,
                    @RequestHeader HttpHeaders headers, HttpServletRequest servlet) {
        ImageRequest request = ImageRequest.of(body);
        String base = servlet.getScheme() + "://" + servlet.getServerName() + ":" + servlet.getServerPort();
        return jobs.serve(request, body, account, headers, base);
    }

    /** A signed URL's image; one out of shape is refused as a wrong signature would be, never a 5xx. */
    @GetMapping(path = ImageArtifacts.PATH + "{jobId}/{index}.png")
    ResponseEntity<byte[]> file(@PathVariable String jobId, @PathVariable String index,
                                @RequestParam(required = false) @Nullable String expires,
                                @RequestParam(required = false) @Nullable String signature) {
        ImageArtifacts.Stored image;
        try {
            image = artifacts.open(jobId, Integer.parseInt(index), Long.parseLong(String.valueOf(expires)),
                    String.valueOf(signature));
        } catch (NumberFormatException malformed) {
            throw ImageArtifacts.invalidSignature();
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).eTag("\"" + image.sha256() + "\"")
                .cacheControl(CacheControl.noStore()).body(image.bytes());
    }
}

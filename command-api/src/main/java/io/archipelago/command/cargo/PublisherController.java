package io.archipelago.command.cargo;

import io.archipelago.command.web.Commands;
import io.archipelago.command.web.RejectUnknownFields;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CargoImage;
import io.archipelago.exchange.market.api.CargoResources;
import io.archipelago.exchange.market.api.CargoSignature;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.DeprecateCargoVersion;
import io.archipelago.exchange.market.api.PublishCargoVersion;
import io.archipelago.exchange.market.api.ReviewCargoVersion;
import io.archipelago.exchange.market.api.VersionManifest;
import io.archipelago.exchange.market.api.YankCargoVersion;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.publisher.api.ChangePublisherTier;
import io.archipelago.exchange.publisher.api.KeyId;
import io.archipelago.exchange.publisher.api.PublisherTier;
import io.archipelago.exchange.publisher.api.RegisterPublisher;
import io.archipelago.exchange.publisher.api.RotatePublisherKey;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishers' own paths under their account: a publisher profile with its signing key, signed Cargo versions, their
 * deprecation and yanking; and the operator's: tier moves and yanks on the platform's authority. A version whose
 * signature is not the publisher's, or names another image, is refused 400 and nothing is recorded.
 */
@RestController
final class PublisherController {

    private final Commands commands;
    private final Clock clock;

    PublisherController(Commands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    @PostMapping("/accounts/{accountId}/publisher")
    ResponseEntity<Registered> register(@PathVariable String accountId, @Valid @RequestBody Register request) {
        AccountId publisher = new AccountId(accountId);
        commands.send(new RegisterPublisher(publisher, request.name(), request.signingKey(), clock.instant()));
        return ResponseEntity.created(URI.create("/registry/publishers/" + publisher))
                .body(new Registered(publisher.value()));
    }

    /**
     * A new signing key for the publisher, retiring the current one; {@code proof}, optional, is the new key's
     * signature over its challenge ({@code KeyId.challenge}). Answers the new key's id.
     */
    @PostMapping("/accounts/{accountId}/publisher/keys")
    ResponseEntity<Rotated> rotate(@PathVariable String accountId, @Valid @RequestBody Rotate request) {
        AccountId publisher = new AccountId(accountId);
        KeyId keyId = commands.send(new RotatePublisherKey(publisher, request.signingKey(), request.proof(),
                clock.instant()));
        return ResponseEntity.created(URI.create("/registry/publishers/" + publisher))
                .body(new Rotated(publisher.value(), keyId.value()));
    }

    @PostMapping("/accounts/{accountId}/cargo-versions")
    ResponseEntity<Published> publish(@PathVariable String accountId, @Valid @RequestBody Publish request) {
        CargoType cargo = new CargoType(request.cargo());
        Manifest m = request.manifest();
        VersionManifest manifest = new VersionManifest(m.unit(), m.runtime(),
                new CargoResources(m.resources().ramMib(), m.resources().vramMib(), m.resources().cores()),
                m.quantizations() == null ? List.of() : m.quantizations(), m.license(),
                PricePerUnit.of(m.royaltyMicroCredits()));
        CargoImage image = new CargoImage(request.image().repository(), request.image().digest());
        CargoSignature signature = new CargoSignature(request.signature().payload(),
                request.signature().signature());
        commands.send(new PublishCargoVersion(cargo, request.version(), new AccountId(accountId), image, manifest,
                signature, clock.instant()));
        return ResponseEntity.created(URI.create("/registry/cargos/" + cargo + "/versions/" + request.version()))
                .body(new Published(cargo.value(), request.version(), image.reference()));
    }

    @PostMapping("/accounts/{accountId}/cargo-versions/{cargo}/{version}/deprecation")
    ResponseEntity<Void> deprecate(@PathVariable String accountId, @PathVariable String cargo,
                                   @PathVariable String version, @Valid @RequestBody Reason request) {
        commands.send(new DeprecateCargoVersion(new CargoType(cargo), version, new AccountId(accountId),
                request.reason(), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/accounts/{accountId}/cargo-versions/{cargo}/{version}/yank")
    ResponseEntity<Void> yank(@PathVariable String accountId, @PathVariable String cargo,
                              @PathVariable String version, @Valid @RequestBody Reason request) {
        commands.send(new YankCargoVersion(new CargoType(cargo), version, new AccountId(accountId),
                request.reason(), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    /** A review by the account, of a version it completed a job on; posting again edits it. */
    @PostMapping("/accounts/{accountId}/reviews")
    ResponseEntity<Void> review(@PathVariable String accountId, @Valid @RequestBody Review request) {
        commands.send(new ReviewCargoVersion(new CargoType(request.cargo()), request.version(),
                new AccountId(accountId), request.stars(), Boolean.TRUE.equals(request.complaint()),
                request.text() == null ? "" : request.text(), clock.instant()));
        return ResponseEntity.noContent().build();
    }

    /** The operator yanks on the platform's authority: a licence violation, malware, a legal order. */
    @PostMapping("/cargos/{cargo}/versions/{version}/yank")
    ResponseEntity<Void> yankAsOperator(@PathVariable String cargo, @PathVariable String version,
                                        @Valid @RequestBody Reason request) {
        commands.send(new YankCargoVersion(new CargoType(cargo), version, AccountId.PLATFORM, request.reason(),
                clock.instant()));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/publishers/{accountId}/tier")
    ResponseEntity<Void> changeTier(@PathVariable String accountId, @Valid @RequestBody TierMove request) {
        commands.send(new ChangePublisherTier(new AccountId(accountId), request.tier(), request.reason(),
                clock.instant()));
        return ResponseEntity.noContent().build();
    }

    /** A display name and the ECDSA P-256 public key the publisher signs with, PEM or JWK. */
    @RejectUnknownFields
    record Register(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 4_096) String signingKey) {
    }

    record Registered(String publisher) {
    }

    /** A new signing key (PEM or JWK) and, optionally, its signature over its challenge (Base64 DER). */
    @RejectUnknownFields
    record Rotate(@NotBlank @Size(max = 4_096) String signingKey, @Nullable @Size(max = 512) String proof) {
    }

    record Rotated(String publisher, String keyId) {
    }

    /**
     * A version of {@code cargo}: its image by digest, its manifest, and the cosign signature stored under the
     * image's {@code sha256-<digest>.sig} tag (payload and signature, both Base64).
     */
    @RejectUnknownFields
    record Publish(@NotBlank String cargo, @NotBlank String version, @NotNull @Valid Image image,
                   @NotNull @Valid Manifest manifest, @NotNull @Valid Signature signature) {
    }

    @RejectUnknownFields
    record Image(@NotBlank String repository, @NotBlank String digest) {
    }

    @RejectUnknownFields
    record Manifest(@NotNull CargoUnit unit, @NotBlank String runtime, @NotNull @Valid Resources resources,
                    @Nullable List<String> quantizations, @NotBlank String license,
                    @NotNull @PositiveOrZero Long royaltyMicroCredits) {
    }

    @RejectUnknownFields
    record Resources(@NotNull @PositiveOrZero Long ramMib, @NotNull @PositiveOrZero Long vramMib,
                     @NotNull @PositiveOrZero Integer cores) {
    }

    /** Missing parts are refused by the domain with the reason ("the image is unsigned"), not by validation. */
    @RejectUnknownFields
    record Signature(@Nullable String payload, @Nullable String signature) {
    }

    record Published(String cargo, String version, String image) {
    }

    @RejectUnknownFields
    record Review(@NotBlank String cargo, @NotBlank String version, @NotNull @Min(1) @Max(5) Integer stars,
                  @Nullable Boolean complaint, @Nullable @Size(max = ReviewCargoVersion.MAX_TEXT) String text) {
    }

    @RejectUnknownFields
    record Reason(@NotBlank @Size(max = 500) String reason) {
    }

    @RejectUnknownFields
    record TierMove(@NotNull PublisherTier tier, @NotBlank @Size(max = 500) String reason) {
    }
}

package io.archipelago.query.registry;

import io.archipelago.projections.registry.PublisherView;
import io.archipelago.projections.registry.RegistryViews;
import io.archipelago.projections.registry.ReviewView;
import io.archipelago.projections.registry.VersionView;
import io.archipelago.query.web.NotFound;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The registry of published Cargo versions: search by type (or a prefix of it), runtime, publisher tier, minimum
 * reputation, maximum royalty, the resources an Island has and a quantization format; one version's manifest,
 * signature, status and record; a publisher with its tier history and earnings.
 */
@RestController
final class RegistryQueries {

    private final RegistryViews registry;

    RegistryQueries(RegistryViews registry) {
        this.registry = registry;
    }

    @GetMapping("/registry/cargos")
    List<VersionView> search(@RequestParam(required = false) @Nullable String type,
                             @RequestParam(required = false) @Nullable String runtime,
                             @RequestParam(required = false) @Nullable String tier,
                             @RequestParam(required = false) @Nullable Double minRating,
                             @RequestParam(required = false) @Nullable Long maxRoyaltyMicroCredits,
                             @RequestParam(required = false) @Nullable Long maxRamMib,
                             @RequestParam(required = false) @Nullable Long maxVramMib,
                             @RequestParam(required = false) @Nullable Integer maxCores,
                             @RequestParam(required = false) @Nullable String quantization,
                             @RequestParam(defaultValue = "false") boolean includeYanked) {
        return registry.search(new RegistryViews.Search(type, runtime, tier, minRating, maxRoyaltyMicroCredits,
                maxRamMib, maxVramMib, maxCores, quantization, includeYanked));
    }

    @GetMapping("/registry/cargos/{cargo}/versions/{version}")
    VersionView version(@PathVariable String cargo, @PathVariable String version) {
        return registry.find(cargo, version).orElseThrow(() -> new NotFound("version " + version + " of " + cargo));
    }

    @GetMapping("/registry/cargos/{cargo}/versions/{version}/reviews")
    List<ReviewView> reviews(@PathVariable String cargo, @PathVariable String version) {
        return registry.reviews(cargo, version);
    }

    @GetMapping("/registry/publishers/{publisher}")
    PublisherView publisher(@PathVariable String publisher) {
        return registry.publisher(publisher).orElseThrow(() -> new NotFound("publisher " + publisher));
    }
}

package io.archipelago.exchange.market.api;

import io.archipelago.exchange.money.PricePerUnit;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a Cargo version declares: the unit it is priced in (its market's), the runtime that runs it ({@code process},
 * {@code container}, ...), the resources a run needs, the quantization formats it ships ({@code q4_k_m}, {@code fp16},
 * ...), its license (an SPDX identifier or a name) and the royalty per unit its publisher earns.
 */
public record VersionManifest(CargoUnit unit, String runtime, CargoResources resources, List<String> quantizations,
                              String license, PricePerUnit royalty) {

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    public VersionManifest {
        if (unit == null || resources == null || royalty == null) {
            throw new IllegalArgumentException("a manifest names its unit, resources and royalty");
        }
        if (runtime == null || !WORD.matcher(runtime).matches()) {
            throw new IllegalArgumentException("a manifest's runtime is one word of 1-64 characters, got " + runtime);
        }
        if (license == null || !WORD.matcher(license).matches()) {
            throw new IllegalArgumentException("a manifest's license is an SPDX identifier or one word, got "
                    + license);
        }
        quantizations = List.copyOf(quantizations == null ? List.of() : quantizations);
        if (quantizations.size() > 32 || !quantizations.stream().allMatch(format -> WORD.matcher(format).matches())) {
            throw new IllegalArgumentException("a manifest lists at most 32 quantization formats, one word each");
        }
    }
}

package io.archipelago.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.archipelago.protocol.OfferedVersion;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Runs each job on the runtime of its Cargo type: a verified process Cargo where there is one, else the default. */
final class CargoRuntimes implements JobRuntime {

    private final Map<String, JobRuntime> byCargo;
    private final JobRuntime fallback;

    CargoRuntimes(Map<String, JobRuntime> byCargo, JobRuntime fallback) {
        this.byCargo = new TreeMap<>(byCargo);
        this.fallback = fallback;
    }

    @Override
    public long run(String cargo, JsonNode input, long maxUnits, Output output) throws Exception {
        return byCargo.getOrDefault(cargo, fallback).run(cargo, input, maxUnits, output);
    }

    @Override
    public long run(String cargo, JsonNode input, long maxUnits, @Nullable OfferedVersion version, Output output)
            throws Exception {
        return byCargo.getOrDefault(cargo, fallback).run(cargo, input, maxUnits, version, output);
    }

    @Override
    public String label() {
        return byCargo.isEmpty() ? fallback.label() : fallback.label() + ", " + byCargo.keySet() + " as signed Cargos";
    }
}

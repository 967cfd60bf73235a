package io.archipelago.exchange.market.api;

/** What one run of a Cargo version needs of an Island: memory and video memory in MiB, and CPU cores. */
public record CargoResources(long ramMib, long vramMib, int cores) {

    public CargoResources {
        if (ramMib < 0 || vramMib < 0 || cores < 0 || ramMib > 4_194_304 || vramMib > 4_194_304 || cores > 1024) {
            throw new IllegalArgumentException("resources are 0-4194304 MiB of RAM and VRAM and 0-1024 cores");
        }
    }
}

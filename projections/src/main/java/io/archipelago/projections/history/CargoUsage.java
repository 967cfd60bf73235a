package io.archipelago.projections.history;

import java.time.LocalDate;

/**
 * One day of a Cargo type's use: completed jobs, units, what consumers were charged and how it was shared between
 * hosts, the publisher (royalty) and the platform (fee), in micro-credits.
 */
public record CargoUsage(String cargo, String publisher, LocalDate day, long jobs, long units,
                         long chargedMicroCredits, long hostMicroCredits, long royaltyMicroCredits,
                         long feeMicroCredits) {
}

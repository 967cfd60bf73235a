/**
 * The exchange's shared vocabulary: the identifiers and values every feature's api speaks of (accounts, Islands,
 * jobs, Cargo types, countries, karma). It depends on nothing else of ours, so that the features' api packages can
 * name each other's things without needing each other.
 */
@NullMarked
package io.archipelago.exchange.ids;

import org.jspecify.annotations.NullMarked;

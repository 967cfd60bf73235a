/** The Cargo registry's read models: publishers and their tiers, versions, their executions and reputation. */
@NullMarked
package io.archipelago.projections.registry;

import org.jspecify.annotations.NullMarked;

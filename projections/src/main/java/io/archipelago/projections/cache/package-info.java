/**
 * The read model of answers served from the inference cache: hits and credits saved per account and tier.
 */
@NullMarked
package io.archipelago.projections.cache;

import org.jspecify.annotations.NullMarked;

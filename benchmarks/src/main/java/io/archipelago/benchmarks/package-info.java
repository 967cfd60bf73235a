/**
 * The load driver of the durable bid path: bids from submission to a committed placement on a real PostgreSQL,
 * beside that server's raw commit rate.
 */
@NullMarked
package io.archipelago.benchmarks;

import org.jspecify.annotations.NullMarked;

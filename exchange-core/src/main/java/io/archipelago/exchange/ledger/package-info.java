/**
 * The double-entry ledger: postings between account buckets, rebuilt from events, conserving money.
 */
@NullMarked
package io.archipelago.exchange.ledger;

import org.jspecify.annotations.NullMarked;

/**
 * Money in and out of the exchange through Stripe: host identity checks, card deposits, Connect payouts and the
 * signed webhooks that turn Stripe's facts into exchange commands exactly once.
 */
@NullMarked
package io.archipelago.payments;

import org.jspecify.annotations.NullMarked;

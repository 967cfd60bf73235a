package io.archipelago.payments;

import io.archipelago.exchange.ids.AccountId;
import java.time.Clock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Links the Stripe Connect account a host's earnings are paid to. Kept in the payments module's own table rather
 * than as an event: it is routing data of one payment rail, may change or be erased, and no balance depends on it.
 */
@RestController
final class PayoutDestinationController {

    private static final Pattern CONNECT_ACCOUNT = Pattern.compile("acct_[A-Za-z0-9]{1,64}");

    private final Stripe stripe;
    private final ExchangeDirectory directory;
    private final PayoutBook book;
    private final Clock clock;

    PayoutDestinationController(Stripe stripe, ExchangeDirectory directory, PayoutBook book, Clock clock) {
        this.stripe = stripe;
        this.directory = directory;
        this.book = book;
        this.clock = clock;
    }

    @PostMapping("/accounts/{accountId}/payout-destination")
    PayoutDestination link(@PathVariable String accountId, @RequestBody PayoutDestination request) {
        AccountId account = new AccountId(accountId);
        if (!stripe.on()) {
            throw new PaymentsNotConfigured();
        }
        String destination = request.stripeAccountId();
        if (destination == null || !CONNECT_ACCOUNT.matcher(destination).matches()) {
            throw new IllegalArgumentException("stripeAccountId is a Stripe Connect account id (acct_...), got "
                    + destination);
        }
        directory.requireAccount(account);
        book.linkDestination(account, destination, clock.instant());
        return new PayoutDestination(destination);
    }

    /** The Stripe Connect account ({@code acct_...}) payouts go to. */
    record PayoutDestination(@Nullable String stripeAccountId) {
    }
}

package io.archipelago.payments;

import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.money.MicroCredits;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sells credits by card: a Stripe Checkout Session for whole credits at 1 credit = USD 0.01, tagged with the account.
 * The credits arrive when Stripe's {@code checkout.session.completed} webhook says the session is paid, once, with the
 * session id as the deposit id.
 */
@RestController
final class CheckoutController {

    private final Stripe stripe;
    private final ExchangeDirectory directory;
    private final PaymentsProperties properties;

    CheckoutController(Stripe stripe, ExchangeDirectory directory, PaymentsProperties properties) {
        this.stripe = stripe;
        this.directory = directory;
        this.properties = properties;
    }

    @PostMapping("/accounts/{accountId}/checkout")
    @ResponseStatus(HttpStatus.CREATED)
    CheckoutStarted checkout(@PathVariable String accountId, @RequestBody Checkout request) throws StripeException {
        AccountId account = new AccountId(accountId);
        long credits = request.wholeCredits();
        MicroCredits amount = properties.deposit(credits);
        var client = stripe.client();
        directory.requireAccount(account);
        long cents = CreditRate.centsFor(amount);
        Session session = client.checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl(properties.checkoutSuccessUrl())
                .setCancelUrl(properties.checkoutCancelUrl())
                .setClientReferenceId(account.value())
                .putMetadata("account_id", account.value())
                .putMetadata("credits", Long.toString(credits))
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(CreditRate.CURRENCY)
                                .setUnitAmount(cents)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(credits + " Archipelago credits")
                                        .build())
                                .build())
                        .build())
                .build());
        return new CheckoutStarted(account.value(), session.getId(), session.getUrl(), credits, cents,
                CreditRate.CURRENCY);
    }

    /**
     * How many credits to buy: {@code credits}, or {@code amountMicroCredits} (a whole number of credits); exactly
     * one of them.
     */
    record Checkout(@Nullable Long credits, @Nullable Long amountMicroCredits) {

        long wholeCredits() {
            if ((credits == null) == (amountMicroCredits == null)) {
                throw new IllegalArgumentException("give exactly one of credits and amountMicroCredits");
            }
            if (credits != null) {
                return credits;
            }
            if (amountMicroCredits <= 0 || amountMicroCredits % MicroCredits.PER_CREDIT != 0) {
                throw new IllegalArgumentException("amountMicroCredits is a positive whole number of credits ("
                        + MicroCredits.PER_CREDIT + " micro-credits each), got " + amountMicroCredits);
            }
            return amountMicroCredits / MicroCredits.PER_CREDIT;
        }
    }

    /** Where the consumer pays ({@code url}), what for, and the session whose id will be the deposit id. */
    record CheckoutStarted(String accountId, String sessionId, String url, long credits, long amountCents,
                           String currency) {
    }
}

package io.archipelago.payments;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.Payout;
import com.stripe.model.StripeObject;
import com.stripe.model.Transfer;
import com.stripe.model.checkout.Session;
import com.stripe.model.identity.VerificationSession;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.DepositCredits;
import io.archipelago.exchange.account.api.RecordPayoutFailed;
import io.archipelago.exchange.island.api.FailIslandVerification;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.VerifyIsland;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What each Stripe event means to the exchange, as the command it sends. Every command is idempotent on its own
 * (the deposit id is the Checkout Session id, verifying a verified Island or failing a failed payout changes
 * nothing), so a repeated, late or reordered event is harmless even before the inbox dedupes it.
 */
@Component
final class StripeEvents {

    private final CommandGateway commands;
    private final PayoutDesk desk;
    private final PaymentsProperties properties;
    private final Clock clock;

    StripeEvents(CommandGateway commands, PayoutDesk desk, PaymentsProperties properties, Clock clock) {
        this.commands = commands;
        this.desk = desk;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Sends the command {@code event} calls for and says what it did.
     *
     * @throws IllegalArgumentException when the event lacks what the exchange needs (e.g. our metadata)
     * @throws StripeException when a call back to Stripe failed; the delivery should be retried
     */
    String handle(Event event) throws StripeException {
        return switch (event.getType()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                    deposit(object(event, Session.class));
            case "identity.verification_session.verified" -> verified(object(event, VerificationSession.class));
            case "identity.verification_session.requires_input", "identity.verification_session.canceled" ->
                    notVerified(event.getType(), object(event, VerificationSession.class));
            case "transfer.reversed" -> reversed(object(event, Transfer.class));
            case "payout.failed" -> bankPayoutFailed(object(event, Payout.class));
            default -> "ignored: the exchange does not act on " + event.getType();
        };
    }

    private String deposit(Session session) {
        if (!"paid".equals(session.getPaymentStatus())) {
            return "awaiting payment: checkout session " + session.getId() + " is " + session.getPaymentStatus();
        }
        if (!CreditRate.CURRENCY.equals(session.getCurrency())) {
            throw new IllegalArgumentException("checkout session " + session.getId() + " was paid in "
                    + session.getCurrency() + ", credits are sold in " + CreditRate.CURRENCY);
        }
        String account = metadata(session.getMetadata(), "account_id", session.getClientReferenceId());
        MicroCredits amount = bought(session);
        commands.sendAndWait(new DepositCredits(new AccountId(account), session.getId(), amount, clock.instant()));
        return "deposited " + amount.value() + " micro-credits to " + account + " for " + session.getId();
    }

    /**
     * What a paid Checkout Session bought: the whole credits our checkout wrote in its {@code credits} metadata, within
     * the checkout's range and paid to the cent. A session whose amount says otherwise was not opened by our checkout
     * as it stands, so it is refused rather than trusted for the amount alone.
     */
    private MicroCredits bought(Session session) {
        String written = metadata(session.getMetadata(), "credits", null);
        long credits;
        try {
            credits = Long.parseLong(written);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("checkout session " + session.getId() + " has credits '" + written
                    + "' in its metadata, not a whole number");
        }
        MicroCredits amount = properties.deposit(credits);
        Long cents = session.getAmountTotal();
        if (cents == null || cents != CreditRate.centsFor(amount)) {
            throw new IllegalArgumentException("checkout session " + session.getId() + " was paid " + cents
                    + " cents for " + credits + " credits (1 credit = USD 0.01): it was not opened for this amount");
        }
        return amount;
    }

    private String verified(VerificationSession session) {
        IslandId island = new IslandId(metadata(session.getMetadata(), "island_id", null));
        commands.sendAndWait(new VerifyIsland(island, clock.instant()));
        return "verified island " + island;
    }

    private String notVerified(String type, VerificationSession session) {
        IslandId island = new IslandId(metadata(session.getMetadata(), "island_id", null));
        String reason = type.endsWith("canceled") ? "verification canceled"
                : session.getLastError() != null && session.getLastError().getCode() != null
                        ? "verification requires input: " + session.getLastError().getCode()
                        : "verification requires input";
        commands.sendAndWait(new FailIslandVerification(island, reason, clock.instant()));
        return "verification of island " + island + " failed: " + reason;
    }

    private String reversed(Transfer transfer) {
        AccountId account = new AccountId(metadata(transfer.getMetadata(), "account_id", null));
        String payoutId = metadata(transfer.getMetadata(), "payout_id", null);
        long amount = transfer.getAmount() == null ? 0 : transfer.getAmount();
        long back = transfer.getAmountReversed() == null ? 0 : transfer.getAmountReversed();
        if (back < amount && !Boolean.TRUE.equals(transfer.getReversed())) {
            return "partial reversal of " + back + " of " + amount + " cents of transfer " + transfer.getId()
                    + ": left to the reconciliation report";
        }
        commands.sendAndWait(new RecordPayoutFailed(account, payoutId, "transfer " + transfer.getId() + " reversed",
                clock.instant()));
        return "payout " + payoutId + " of " + account + " reversed";
    }

    private String bankPayoutFailed(Payout payout) throws StripeException {
        AccountId account = new AccountId(metadata(payout.getMetadata(), "account_id", null));
        String payoutId = metadata(payout.getMetadata(), "payout_id", null);
        // The money is back in the host's Connect balance, not the platform's: take the transfer back first, so that
        // returning it to earnings does not pay the host twice.
        if (!desk.reverse(account, payoutId)) {
            throw new IllegalStateException("payout " + payoutId + " of " + account + " has no transfer to reverse");
        }
        String reason = "bank payout " + payout.getId() + " failed"
                + (payout.getFailureCode() == null ? "" : ": " + payout.getFailureCode());
        commands.sendAndWait(new RecordPayoutFailed(account, payoutId, reason, clock.instant()));
        return "payout " + payoutId + " of " + account + " failed at the bank, transfer reversed";
    }

    private static <T extends StripeObject> T object(Event event, Class<T> type) {
        StripeObject object;
        try {
            // deserializeUnsafe: events of an API version other than the library's still carry a readable object
            Optional<StripeObject> known = event.getDataObjectDeserializer().getObject();
            object = known.isPresent() ? known.get() : event.getDataObjectDeserializer().deserializeUnsafe();
        } catch (EventDataObjectDeserializationException | RuntimeException unreadable) {
            // stripe-java reads an event of no API version (or an odd one) with a NullPointerException
            throw new IllegalArgumentException("the object of event " + event.getId() + " is unreadable (API version "
                    + event.getApiVersion() + ")");
        }
        if (!type.isInstance(object)) {
            throw new IllegalArgumentException("event " + event.getId() + " of type " + event.getType()
                    + " carries no " + type.getSimpleName());
        }
        return type.cast(object);
    }

    private static String metadata(@Nullable Map<String, String> metadata, String key, @Nullable String fallback) {
        String value = metadata == null ? null : metadata.get(key);
        if (value == null || value.isBlank()) {
            value = fallback;
        }
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the Stripe object has no metadata " + key
                    + ": it was not made by the exchange");
        }
        return value;
    }
}

package io.archipelago.payments;

import com.stripe.exception.StripeException;
import com.stripe.model.Transfer;
import com.stripe.param.TransferListParams;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Compares the ledger's payouts with the transfers Stripe has on record and lists every difference: a payout paid in
 * the ledger with no standing transfer, a transfer standing for a payout the ledger failed (paid twice), a transfer
 * the ledger has not recorded as paid yet, amounts that differ, and transfers for payouts the ledger never requested.
 */
@Component
final class Reconciliation {

    private final Stripe stripe;
    private final PayoutBook book;
    private final Clock clock;

    Reconciliation(Stripe stripe, PayoutBook book, Clock clock) {
        this.stripe = stripe;
        this.book = book;
        this.clock = clock;
    }

    /** One difference between the ledger and Stripe. */
    record Drift(String kind, String accountId, String payoutId, @Nullable String transferId, String detail) {
    }

    /**
     * The comparison: totals in US cents on both sides (ledger: payouts paid; Stripe: transfers less reversals) and
     * the differences; {@code balanced} when there are none.
     */
    record Report(Instant at, int transfers, int payouts, long ledgerPaidCents, long stripeTransferredCents,
                  List<Drift> drift, boolean balanced) {
    }

    Report run() throws StripeException {
        Map<String, Transfer> transfers = new HashMap<>();
        List<Drift> drift = new ArrayList<>();
        long stripeCents = 0;
        int seen = 0;
        for (Transfer transfer : stripe.client().transfers().list(TransferListParams.builder().setLimit(100L).build())
                .autoPagingIterable()) {
            Map<String, String> metadata = transfer.getMetadata() == null ? Map.of() : transfer.getMetadata();
            String account = metadata.get("account_id");
            String payoutId = metadata.get("payout_id");
            if (account == null || payoutId == null) {
                continue;
            }
            seen++;
            stripeCents += standing(transfer);
            transfers.put(account + "/" + payoutId, transfer);
        }
        long ledgerCents = 0;
        List<PayoutBook.Payout> payouts = book.payouts();
        for (PayoutBook.Payout payout : payouts) {
            Transfer transfer = transfers.remove(payout.accountId().value() + "/" + payout.payoutId());
            long standing = transfer == null ? 0 : standing(transfer);
            long cents = cents(payout.amount());
            String account = payout.accountId().value();
            String transferId = transfer == null ? null : transfer.getId();
            switch (payout.state()) {
                case PAID -> {
                    ledgerCents += cents;
                    if (standing == 0) {
                        drift.add(new Drift("PAID_WITHOUT_TRANSFER", account, payout.payoutId(), transferId,
                                "the ledger paid " + cents + " cents; Stripe has no standing transfer"));
                    } else if (standing != cents) {
                        drift.add(new Drift("AMOUNT_DIFFERS", account, payout.payoutId(), transferId,
                                "the ledger paid " + cents + " cents; Stripe transferred " + standing));
                    }
                }
                case FAILED -> {
                    if (standing > 0) {
                        drift.add(new Drift("FAILED_BUT_TRANSFERRED", account, payout.payoutId(), transferId,
                                "the ledger returned the payout to earnings; Stripe transferred " + standing
                                        + " cents"));
                    }
                }
                case REQUESTED -> {
                    if (standing > 0) {
                        drift.add(new Drift("TRANSFERRED_NOT_YET_PAID", account, payout.payoutId(), transferId,
                                "Stripe transferred " + standing + " cents; the ledger has not recorded it paid"));
                    }
                }
            }
        }
        for (Transfer unknown : transfers.values()) {
            drift.add(new Drift("UNKNOWN_TRANSFER", unknown.getMetadata().get("account_id"),
                    unknown.getMetadata().get("payout_id"), unknown.getId(),
                    "Stripe transferred " + standing(unknown) + " cents for a payout the ledger never requested"));
        }
        return new Report(clock.instant(), seen, payouts.size(), ledgerCents, stripeCents, List.copyOf(drift),
                drift.isEmpty() && ledgerCents == stripeCents);
    }

    private static long standing(Transfer transfer) {
        long amount = transfer.getAmount() == null ? 0 : transfer.getAmount();
        long reversed = transfer.getAmountReversed() == null ? 0 : transfer.getAmountReversed();
        return amount - reversed;
    }

    private static long cents(MicroCredits amount) {
        return amount.value() / MicroCredits.PER_CREDIT;
    }
}

package io.archipelago.query.history;

import io.archipelago.projections.payout.PayoutView;
import io.archipelago.projections.payout.PayoutViews;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Payouts requested in a time range, of one account and/or in one status. */
@RestController
final class PayoutQueries {

    private static final Set<String> STATUSES = Set.of("REQUESTED", "PAID", "FAILED", "REVERSED");

    private final PayoutViews payouts;

    PayoutQueries(PayoutViews payouts) {
        this.payouts = payouts;
    }

    @GetMapping("/payouts")
    Page<PayoutView> payouts(@RequestParam(required = false) @Nullable String account,
                             @RequestParam(required = false) @Nullable String status,
                             @RequestParam(required = false) @Nullable Instant from,
                             @RequestParam(required = false) @Nullable Instant to,
                             @RequestParam(required = false) @Nullable Integer offset,
                             @RequestParam(required = false) @Nullable Integer limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES);
        }
        Window window = Window.of(from, to, offset, limit);
        return Page.of(payouts.requested(account, status, window.from(), window.to(), window.offset(),
                window.limit()), window);
    }
}

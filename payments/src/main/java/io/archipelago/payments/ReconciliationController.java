package io.archipelago.payments;

import com.stripe.exception.StripeException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of drift between the ledger's payouts and Stripe's transfers. */
@RestController
final class ReconciliationController {

    private final Reconciliation reconciliation;

    ReconciliationController(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @GetMapping("/stripe/reconciliation")
    Reconciliation.Report report() throws StripeException {
        return reconciliation.run();
    }
}

package io.archipelago.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * {@code --reconcile}: the coordinator starts, prints the reconciliation report as JSON on standard output and exits,
 * with status 0 when the ledger and Stripe agree and 3 when they drift.
 */
@Component
final class ReconcileRunner implements ApplicationRunner {

    static final int DRIFT = 3;

    private final Reconciliation reconciliation;
    private final ApplicationContext context;

    ReconcileRunner(Reconciliation reconciliation, ApplicationContext context) {
        this.reconciliation = reconciliation;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments arguments) throws Exception {
        if (!arguments.containsOption("reconcile")) {
            return;
        }
        Reconciliation.Report report = reconciliation.run();
        ObjectMapper json = new ObjectMapper().findAndRegisterModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
        System.out.println(json.writeValueAsString(report));
        ExitCodeGenerator status = () -> report.balanced() ? 0 : DRIFT;
        System.exit(SpringApplication.exit(context, status));
    }
}

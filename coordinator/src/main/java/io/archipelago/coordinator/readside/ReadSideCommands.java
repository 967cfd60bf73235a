package io.archipelago.coordinator.readside;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.ConfigurableBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The coordinator's jar as the auditor's and the operator's tool, by one argument:
 * <ul>
 *     <li>{@code --audit}: replays the whole event store through {@link LedgerAudit} in a small application of its
 *     own (the database and nothing else: no web server, no Axon, no event processor, no Island bridge), prints the
 *     report and exits with 0 when it is clean, 1 when it found a problem, 2 when it could not run;</li>
 *     <li>{@code --rebuild-read-models}: starts the coordinator without its web server, rebuilds the read models from
 *     the first event ({@link RebuildCommand}) and exits.</li>
 * </ul>
 * Spring Boot hands every application's arguments to this listener before anything starts, so the commands need no
 * main class of their own.
 */
public final class ReadSideCommands implements SpringApplicationRunListener {

    static final String AUDIT = "--audit";
    static final String REBUILD = "--rebuild-read-models";

    /** The audit runs an application of its own, which must not run the audit again. */
    private static final AtomicBoolean AUDITING = new AtomicBoolean();

    private final SpringApplication application;
    private final String[] args;

    public ReadSideCommands(SpringApplication application, String[] args) {
        this.application = application;
        this.args = args.clone();
    }

    @Override
    public void starting(ConfigurableBootstrapContext bootstrapContext) {
        if (has(REBUILD)) {
            application.setWebApplicationType(WebApplicationType.NONE);
        }
        if (has(AUDIT) && !AUDITING.get()) {
            System.exit(audit(args));
        }
    }

    private boolean has(String option) {
        return Arrays.asList(args).contains(option);
    }

    /** Runs the audit against the coordinator's database (embedded or {@code DATABASE_URL}); returns the exit code. */
    static int audit(String[] args) {
        AUDITING.set(true);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AuditApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(args)) {
            AuditReport report = context.getBean(AuditApplication.Auditor.class).audit();
            return report.clean() ? 0 : 1;
        } catch (RuntimeException failed) {
            System.err.println("audit: could not run: " + failed.getMessage());
            return 2;
        } finally {
            AUDITING.set(false);
        }
    }
}

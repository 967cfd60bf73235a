package io.archipelago.coordinator.readside;

import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The audit's own application: the coordinator's database configuration (its embedded PostgreSQL, or
 * {@code DATABASE_URL}) and the auditor, nothing more, so that an audit starts in a second and changes nothing.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ComponentScan("io.archipelago.coordinator.database")
@ImportAutoConfiguration({ConfigurationPropertiesAutoConfiguration.class,
        PropertyPlaceholderAutoConfiguration.class})
class AuditApplication {

    @Bean
    Auditor auditor(DataSource dataSource) {
        return new Auditor(dataSource);
    }

    /** Runs one audit and prints its report on standard output. */
    static final class Auditor {

        private final DataSource dataSource;

        Auditor(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        AuditReport audit() {
            AuditReport report = new LedgerAudit(dataSource, System.out).run();
            LedgerAudit.print(report, System.out);
            return report;
        }
    }
}

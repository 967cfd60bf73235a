package io.archipelago.coordinator.readside;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The audit's own application: the coordinator's database configuration (its embedded PostgreSQL, or
 * {@code DATABASE_URL}) and the auditor, nothing more, so that an audit starts in a second and changes nothing. The
 * evidence outside the database comes from the data directory unless given: {@code archipelago.audit.public-key} (a
 * file or base64, {@code <node>=} before it for one node's key; several, comma-separated or the option repeated),
 * {@code archipelago.audit.public-keys} (a file of {@code <node> <key>} lines), {@code archipelago.audit.checkpoints}
 * (files, comma-separated: every node's) and {@code archipelago.audit.max-unlinked} (0);
 * with {@code archipelago.audit.kafka} (bootstrap servers) the export topic is a witness too, and the checkpoints on
 * the export count with those of the file.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ComponentScan("io.archipelago.coordinator.database")
@ImportAutoConfiguration({ConfigurationPropertiesAutoConfiguration.class,
        PropertyPlaceholderAutoConfiguration.class})
class AuditApplication {

    @Bean
    Auditor auditor(DataSource dataSource, @Value("${archipelago.data-dir:./data}") Path dataDir,
                    @Value("${archipelago.audit.public-key:}") String publicKeys,
                    @Value("${archipelago.audit.public-keys:#{null}}") @Nullable Path publicKeyFile,
                    @Value("${archipelago.audit.checkpoints:}") String checkpoints,
                    @Value("${archipelago.audit.max-unlinked:0}") long maxUnlinked,
                    @Value("${archipelago.audit.kafka:}") String kafka,
                    @Value("${archipelago.kafka.export.topic:archipelago.events}") String topic,
                    @Value("${archipelago.kafka.export.checkpoint-topic:archipelago.event-chain.checkpoints}")
                    String checkpointTopic) {
        AuditEvidence evidence = AuditEvidence.of(dataDir, list(publicKeys), publicKeyFile,
                list(checkpoints).stream().map(Path::of).toList(), maxUnlinked);
        return new Auditor(dataSource, kafka.isBlank() ? evidence
                : evidence.witnessedBy(ExportWitness.read(kafka, topic, checkpointTopic)));
    }

    /** A comma-separated setting (as Spring joins an option given several times) as its values. */
    private static List<String> list(String values) {
        return Arrays.stream(values.split(",")).map(String::strip).filter(value -> !value.isEmpty()).toList();
    }

    /** Runs one audit, its progress on standard error, and prints its report on standard output. */
    static final class Auditor {

        private final DataSource dataSource;
        private final AuditEvidence evidence;

        Auditor(DataSource dataSource, AuditEvidence evidence) {
            this.dataSource = dataSource;
            this.evidence = evidence;
        }

        AuditReport audit() {
            AuditReport report = new LedgerAudit(dataSource, evidence, AuditProgress.onStandardError()).run();
            LedgerAudit.print(report, System.out);
            return report;
        }
    }
}

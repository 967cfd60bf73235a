package io.archipelago.kafkabroker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded broker is a default for a newcomer's machine: it knows the export's address and nothing else. */
class ArchitectureTest {

    private static JavaClasses broker;

    @BeforeAll
    static void importBroker() {
        broker = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.kafkabroker");
    }

    @Test
    void knowsNoMarket() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.archipelago.exchange..",
                        "io.archipelago.coordinator..", "io.archipelago.command..", "io.archipelago.query..",
                        "io.archipelago.bridge..", "org.axonframework..")
                .because("a production deployment replaces this broker by a cluster; nothing may lean on it")
                .check(broker);
    }
}

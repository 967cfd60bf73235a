package io.archipelago.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The agent runs on hosts' machines: it shares the protocol with the coordinator and nothing else. */
class ArchitectureTest {

    @Test
    void dependsOnTheProtocolOnlyOfEverythingOurs() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.archipelago.exchange..",
                        "io.archipelago.bridge..", "io.archipelago.coordinator..", "io.archipelago.command..",
                        "io.archipelago.projections..", "io.archipelago.query..", "org.springframework..",
                        "org.axonframework..")
                .because("an Island knows the coordinator only by its HTTP API and the island protocol")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.archipelago.agent"));
    }
}

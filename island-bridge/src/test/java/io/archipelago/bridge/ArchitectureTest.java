package io.archipelago.bridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bridge is the NATS side of the coordinator: it speaks to the market through commands and events only. */
class ArchitectureTest {

    private static JavaClasses bridge;

    @BeforeAll
    static void importBridge() {
        bridge = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.bridge");
    }

    @Test
    void reachesTheMarketOnlyThroughItsPublicApi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.archipelago.exchange.market",
                        "io.archipelago.exchange.island", "io.archipelago.exchange.account",
                        "io.archipelago.exchange.ledger", "io.archipelago.exchange.karma")
                .because("the bridge sends commands and reads events; aggregates and rules are the market's own")
                .check(bridge);
    }

    @Test
    void knowsNothingOfTheApplicationAroundIt() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..",
                        "io.archipelago.coordinator..", "io.archipelago.command..", "io.archipelago.query..",
                        "io.archipelago.projections..", "io.archipelago.agent..", "java.sql..", "javax.sql..")
                .because("the coordinator wires the bridge; the bridge stays a library of NATS and the market's api")
                .check(bridge);
    }
}

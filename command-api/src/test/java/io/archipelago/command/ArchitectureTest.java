package io.archipelago.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The write side speaks to the exchange only in commands and the public types of exchange-core. */
class ArchitectureTest {

    private static JavaClasses commandApi;

    @BeforeAll
    static void importCommandApi() {
        commandApi = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.command");
    }

    @Test
    void usesOnlyThePublicApiOfExchangeCore() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.archipelago.exchange.market",
                        "io.archipelago.exchange.island", "io.archipelago.exchange.account",
                        "io.archipelago.exchange.karma", "io.archipelago.exchange.ledger")
                .because("aggregates are reached through commands on the gateway, never called directly")
                .check(commandApi);
    }

    @Test
    void readsNothing() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.archipelago.projections..",
                        "io.archipelago.query..", "java.sql..", "javax.sql..", "org.springframework.jdbc..")
                .because("the write side sends commands; reading is the query side's work (DESIGN.md, Modules)")
                .check(commandApi);
    }

    @Test
    void featuresDoNotDependOnEachOther() {
        slices().matching("io.archipelago.command.(*)..").should().beFreeOfCycles().check(commandApi);
        noClasses().that().resideInAPackage("io.archipelago.command.web")
                .should().dependOnClassesThat().resideInAnyPackage("io.archipelago.command.account",
                        "io.archipelago.command.island", "io.archipelago.command.market")
                .check(commandApi);
    }
}

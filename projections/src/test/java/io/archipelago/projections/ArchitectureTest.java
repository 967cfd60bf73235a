package io.archipelago.projections;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Read models are built from events alone: no commands, no aggregates, no HTTP. */
class ArchitectureTest {

    private static JavaClasses projections;

    @BeforeAll
    static void importProjections() {
        projections = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.projections");
    }

    @Test
    void knowsTheExchangeOnlyByItsEvents() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.archipelago.exchange.market",
                        "io.archipelago.exchange.island", "io.archipelago.exchange.account",
                        "io.archipelago.exchange.karma", "io.archipelago.exchange.ledger",
                        "io.archipelago.exchange.batch",
                        "org.axonframework.commandhandling..", "org.axonframework.modelling..",
                        "org.springframework.web..", "io.archipelago.command..", "io.archipelago.query..")
                .because("a projection can be rebuilt from the event store by replaying events (DESIGN.md)")
                .check(projections);
    }

    @Test
    void eachReadModelStandsAlone() {
        slices().matching("io.archipelago.projections.(*)..").should().notDependOnEachOther().check(projections);
    }
}

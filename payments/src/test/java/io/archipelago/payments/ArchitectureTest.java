package io.archipelago.payments;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.axonframework.modelling.command.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Payments moves money in and out through commands and reads what it needs from the read side. */
class ArchitectureTest {

    private static JavaClasses payments;

    @BeforeAll
    static void importPayments() {
        payments = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.payments");
    }

    @Test
    void readsProjectionsAndNeverLoadsAggregates() {
        noClasses().should().dependOnClassesThat(or(resideInAnyPackage("io.archipelago.exchange.market",
                        "io.archipelago.exchange.island", "io.archipelago.exchange.account",
                        "org.axonframework.eventsourcing.."), assignableTo(Repository.class)))
                .because("payments sends commands and reads projections (DESIGN.md, Modules); an aggregate it "
                        + "loaded could be one its own unit of work then evicts or locks")
                .check(payments);
    }

    @Test
    void knowsNothingOfTheOtherSides() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.archipelago.coordinator..",
                        "io.archipelago.command..", "io.archipelago.query..", "io.archipelago.bridge..",
                        "io.archipelago.agent..")
                .because("payments is one side of the exchange; the coordinator assembles it with the others")
                .check(payments);
    }
}

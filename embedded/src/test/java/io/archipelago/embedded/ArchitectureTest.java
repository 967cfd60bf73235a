package io.archipelago.embedded;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded defaults are for a newcomer's machine: servers that start and stop, knowing nothing of ours. */
class ArchitectureTest {

    private static JavaClasses embedded;

    @BeforeAll
    static void importEmbedded() {
        embedded = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.embedded");
    }

    @Test
    void knowsNothingOfOurs() {
        noClasses().should().dependOnClassesThat(resideInAPackage("io.archipelago..")
                        .and(not(resideInAPackage("io.archipelago.embedded.."))))
                .because("a production deployment replaces these servers by its own; nothing here may lean on the "
                        + "exchange, and nothing of the exchange may need them")
                .check(embedded);
    }

    @Test
    void knowsNoFramework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..")
                .because("the assembly wires these servers; they start and stop, and that is all")
                .check(embedded);
    }
}

package io.archipelago.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read side only reads: it never sends a command or touches an aggregate. */
class ArchitectureTest {

    private static JavaClasses queryApi;

    @BeforeAll
    static void importQueryApi() {
        queryApi = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.query");
    }

    @Test
    void neverChangesTheExchange() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.axonframework..",
                        "io.archipelago.command..", "io.archipelago.exchange.market",
                        "io.archipelago.exchange.island", "io.archipelago.exchange.account")
                .because("queries answer from the read models; changes go through the command API")
                .check(queryApi);
    }
}

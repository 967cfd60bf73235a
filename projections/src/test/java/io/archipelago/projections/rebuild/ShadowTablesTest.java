package io.archipelago.projections.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every table the read side's migrations create is rebuilt into a fresh table and swapped in, unless it is not a read
 * model: a table missing from {@link ShadowTables#READ_MODELS} would be written in place while the live read side
 * serves it, and kept out of the swap.
 */
class ShadowTablesTest {

    /** Kept by the event chain, not rebuilt from the events' projections. */
    private static final Set<String> NOT_READ_MODELS = Set.of("event_chain");
    private static final Pattern CREATED = Pattern.compile("CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)");
    private static final Pattern DROPPED = Pattern.compile("DROP TABLE (?:IF EXISTS )?([a-z_]+)");

    @Test
    void everyReadModelTableOfTheMigrationsIsRebuiltIntoAFreshTable() throws IOException {
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> migrations = Files.list(Path.of("src/main/resources/db/migration/projections"))) {
            for (Path migration : migrations.sorted().toList()) {
                String sql = Files.readString(migration);
                Matcher created = CREATED.matcher(sql);
                while (created.find()) {
                    tables.add(created.group(1));
                }
                Matcher dropped = DROPPED.matcher(sql);
                while (dropped.find()) {
                    tables.remove(dropped.group(1));
                }
            }
        }
        tables.removeAll(NOT_READ_MODELS);

        assertThat(tables).isNotEmpty();
        assertThat(ShadowTables.READ_MODELS).containsExactlyInAnyOrderElementsOf(tables);
    }
}

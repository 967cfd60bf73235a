package io.archipelago.projections.registry;

import io.archipelago.projections.RebuildMemory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which jobs of a rebuild's worker have a row in {@code registry_job} (they run a version), mirrored in memory so that
 * every job's end need not ask the table; the rows themselves are written by SQL as the live processor writes them,
 * so the mirror follows each batch's transaction.
 */
final class RegistryJobs implements RebuildMemory.State {

    private final Set<String> committed = new HashSet<>();
    /** What the current batch changed: a job added (true) or removed (false). */
    private final Map<String, Boolean> batch = new HashMap<>();

    boolean runsAVersion(String job) {
        Boolean changed = batch.get(job);
        return changed != null ? changed : committed.contains(job);
    }

    void assigned(String job) {
        batch.put(job, true);
    }

    void ended(String job) {
        batch.put(job, false);
    }

    @Override
    public void committed() {
        batch.forEach((job, runs) -> {
            if (runs) {
                committed.add(job);
            } else {
                committed.remove(job);
            }
        });
        batch.clear();
    }

    @Override
    public void rolledBack() {
        batch.clear();
    }

    /** The rows are in the tables already. */
    @Override
    public void write(JdbcTemplate jdbc) {
        committed.clear();
    }
}

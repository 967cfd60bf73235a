package io.archipelago.exchange.workflow;

import io.archipelago.exchange.workflow.api.InvalidWorkflow;
import io.archipelago.exchange.workflow.api.StepSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether steps form a workflow that can run, checked before anything does: 1 to {@value #MAX_STEPS} steps, keys
 * well formed and unique, every dependency a step of the workflow (not itself, named once), no cycle, and every
 * template naming a step the step depends on or a parameter the workflow has. The first rule broken is reported with
 * the step that breaks it.
 */
public final class Dag {

    /** The most steps one workflow holds (each runs as jobs {@code <id>-<index>-<attempt>}, two digits each). */
    public static final int MAX_STEPS = 50;

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private Dag() {
    }

    /**
     * Checks {@code steps} with {@code parameters} as the names {@code {{input.<name>}}} may use.
     *
     * @throws InvalidWorkflow saying which rule which step breaks
     */
    public static void check(List<StepSpec> steps, Set<String> parameters) {
        if (steps == null || steps.isEmpty() || steps.size() > MAX_STEPS) {
            throw new InvalidWorkflow("too_many_steps", "a workflow has 1-" + MAX_STEPS + " steps, got "
                    + (steps == null ? 0 : steps.size()));
        }
        Map<String, StepSpec> byKey = new HashMap<>();
        for (StepSpec step : steps) {
            if (step.key() == null || !KEY.matcher(step.key()).matches() || step.key().equals(Templates.PARAMETERS)) {
                throw new InvalidWorkflow("invalid_key", "a step key is a lower-case letter, then up to 31 lower-case"
                        + " letters, digits or '_', and not '" + Templates.PARAMETERS + "'; got '" + step.key() + "'");
            }
            if (byKey.put(step.key(), step) != null) {
                throw new InvalidWorkflow("duplicate_key", "two steps have the key '" + step.key() + "'");
            }
        }
        for (StepSpec step : steps) {
            Set<String> seen = new HashSet<>();
            for (String dependency : step.dependsOn()) {
                if (!byKey.containsKey(dependency)) {
                    throw new InvalidWorkflow("unknown_step", "step '" + step.key() + "' depends on '" + dependency
                            + "', which is no step of this workflow");
                }
                if (dependency.equals(step.key())) {
                    throw new InvalidWorkflow("cycle", "step '" + step.key() + "' depends on itself");
                }
                if (!seen.add(dependency)) {
                    throw new InvalidWorkflow("duplicate_dependency", "step '" + step.key() + "' names '"
                            + dependency + "' twice in depends_on");
                }
            }
            for (Templates.Reference reference : Templates.references(step.key(), step.input())) {
                if (reference.parameter() && !parameters.contains(reference.name())) {
                    throw new InvalidWorkflow("unknown_parameter", "step '" + step.key() + "' renders {{"
                            + Templates.PARAMETERS + "." + reference.name() + "}}, which is no parameter given");
                }
                if (!reference.parameter() && !step.dependsOn().contains(reference.name())) {
                    throw new InvalidWorkflow("template_not_a_dependency", "step '" + step.key() + "' renders {{"
                            + reference.name() + ".output.text}} but does not list '" + reference.name()
                            + "' in depends_on");
                }
            }
        }
        List<String> cycle = cycle(steps, byKey);
        if (!cycle.isEmpty()) {
            throw new InvalidWorkflow("cycle", "the steps depend on each other in a cycle: "
                    + String.join(" -> ", cycle));
        }
    }

    /** One cycle among the steps, as its keys with the first repeated at the end; empty when there is none. */
    private static List<String> cycle(List<StepSpec> steps, Map<String, StepSpec> byKey) {
        Set<String> done = new HashSet<>();
        for (StepSpec step : steps) {
            List<String> found = visit(step.key(), byKey, new LinkedHashSet<>(), done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String key, Map<String, StepSpec> byKey, LinkedHashSet<String> path,
                                      Set<String> done) {
        if (done.contains(key)) {
            return List.of();
        }
        if (path.contains(key)) {
            List<String> cycle = new ArrayList<>();
            boolean inside = false;
            for (String onPath : path) {
                inside = inside || onPath.equals(key);
                if (inside) {
                    cycle.add(onPath);
                }
            }
            cycle.add(key);
            return cycle;
        }
        path.add(key);
        for (String dependency : byKey.get(key).dependsOn()) {
            List<String> found = visit(dependency, byKey, path, done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(key);
        done.add(key);
        return List.of();
    }
}

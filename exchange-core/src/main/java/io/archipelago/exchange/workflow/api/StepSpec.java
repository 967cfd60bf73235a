package io.archipelago.exchange.workflow.api;

import io.archipelago.exchange.batch.api.ItemTerms;
import io.archipelago.exchange.ids.CargoType;
import java.util.List;

/**
 * One step of a workflow as submitted: its {@code key} (a lower-case letter, then up to 31 lower-case letters,
 * digits or '_'), the Cargo it runs on, its job input as JSON text whose strings may hold templates
 * ({@code {{<step>.output.text}}} for the whole output of a step it depends on, {@code {{input.<name>}}} for a
 * parameter of the workflow), the keys of the steps it waits for, and the bid terms its jobs are placed with.
 */
public record StepSpec(String key, CargoType cargo, String input, List<String> dependsOn, ItemTerms terms) {

    public StepSpec {
        dependsOn = List.copyOf(dependsOn);
    }
}

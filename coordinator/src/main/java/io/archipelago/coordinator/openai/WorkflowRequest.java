package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.exchange.batch.api.ItemTerms;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.money.MoneyCaps;
import io.archipelago.exchange.workflow.Dag;
import io.archipelago.exchange.workflow.api.FailMode;
import io.archipelago.exchange.workflow.api.InvalidWorkflow;
import io.archipelago.exchange.workflow.api.StepSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A workflow's body read and checked before anything runs: {@code steps} (each with its {@code key}, {@code model}, an
 * {@code input} or an {@code input_mapping}, {@code depends_on}, and optionally its own {@code limit_micro_credits}
 * and {@code max_units}) and {@code fail_mode} ({@code fail_fast}, the default, or {@code best_effort}). A step's
 * input is a string (the user's message) or a chat request object ({@code messages}, {@code max_tokens}); its strings
 * may hold templates. Every refusal is a 400 naming the step and the rule.
 */
record WorkflowRequest(List<StepSpec> steps, FailMode failMode) {

    /** Which Cargo types the exchange knows, and which of them answer with text. */
    record Models(Predicate<String> known, Predicate<String> chat) {
    }

    /**
     * Reads {@code body}, each step's terms those of the workflow ({@code terms}) but where it sets its own; a
     * template may name only the parameters in {@code parameters}.
     */
    static WorkflowRequest of(JsonNode body, BidTerms terms, Set<String> parameters, Models models,
                              ObjectMapper json) {
        if (!body.isObject()) {
            throw WorkflowProblem.invalid("invalid_request", "the request body is a JSON object");
        }
        JsonNode steps = body.path("steps");
        if (!steps.isArray() || steps.isEmpty()) {
            throw WorkflowProblem.invalid("empty_workflow", "`steps` is a non-empty array of steps, each with its "
                    + "`key`, `model` and `input` or `input_mapping`");
        }
        if (steps.size() > Dag.MAX_STEPS) {
            throw WorkflowProblem.invalid("too_many_steps", "a workflow has at most " + Dag.MAX_STEPS + " steps, got "
                    + steps.size());
        }
        List<StepSpec> specs = new ArrayList<>(steps.size());
        for (int index = 0; index < steps.size(); index++) {
            specs.add(step(steps.get(index), index, terms, models, json));
        }
        try {
            Dag.check(specs, parameters);
        } catch (InvalidWorkflow refused) {
            throw WorkflowProblem.invalid(refused.code(), refused.getMessage());
        }
        return new WorkflowRequest(specs, failMode(body.path("fail_mode")));
    }

    /** The values of {@code {{input.<name>}}}: an object of strings, numbers or booleans, as text. */
    static Map<String, String> parameters(JsonNode parameters) {
        if (parameters.isMissingNode() || parameters.isNull()) {
            return Map.of();
        }
        if (!parameters.isObject()) {
            throw WorkflowProblem.invalid("invalid_parameters", "`parameters` is an object of names to values");
        }
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, JsonNode> parameter : parameters.properties()) {
            JsonNode value = parameter.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw WorkflowProblem.invalid("invalid_parameters", "parameter '" + parameter.getKey()
                        + "' is a string, a number or a boolean");
            }
            values.put(parameter.getKey(), value.asText());
        }
        return values;
    }

    private static StepSpec step(JsonNode step, int index, BidTerms terms, Models models, ObjectMapper json) {
        String at = "steps[" + index + "]";
        if (!step.isObject()) {
            throw WorkflowProblem.invalid("invalid_step", at + " is an object with `key`, `model` and `input`");
        }
        String key = step.path("key").asText("");
        String model = step.path("model").asText("");
        if (!step.path("model").isTextual() || model.isBlank() || !models.known().test(model)) {
            throw WorkflowProblem.invalid("unknown_model", at + " ('" + key + "') has no known `model`: it names a "
                    + "Cargo type on the exchange (GET /v1/models lists them), got '" + model + "'");
        }
        if (!models.chat().test(model)) {
            throw WorkflowProblem.invalid("type_mismatch", "step '" + key + "' runs '" + model + "', which is no "
                    + "chat Cargo on the exchange: a step's output is text that templates render, so steps run chat "
                    + "Cargos (GET /v1/models lists them)");
        }
        JsonNode input = step.path("input");
        JsonNode mapping = step.path("input_mapping");
        if (input.isMissingNode() == mapping.isMissingNode()) {
            throw WorkflowProblem.invalid("invalid_input", "step '" + key + "' has exactly one of `input` and "
                    + "`input_mapping`");
        }
        JsonNode given = input.isMissingNode() ? mapping : input;
        ObjectNode request;
        if (given.isTextual()) {
            request = JsonNodeFactory.instance.objectNode();
            request.putArray("messages").addObject().put("role", "user").put("content", given.asText());
        } else if (given.isObject()) {
            request = ((ObjectNode) given).deepCopy();
        } else {
            throw WorkflowProblem.invalid("invalid_input", "step '" + key + "': its input is a string (the user's "
                    + "message) or a chat request object with `messages`");
        }
        request.put("model", model);
        String jobInput;
        try {
            jobInput = ChatRequest.of(request).input(json).toString();
        } catch (OpenAiException malformed) {
            throw WorkflowProblem.invalid("invalid_input", "step '" + key + "': " + malformed.getMessage());
        }
        return new StepSpec(key, new CargoType(model), jobInput, dependsOn(step.path("depends_on"), key),
                terms(step, key, terms));
    }

    private static List<String> dependsOn(JsonNode dependsOn, String key) {
        if (dependsOn.isMissingNode() || dependsOn.isNull()) {
            return List.of();
        }
        if (!dependsOn.isArray()) {
            throw WorkflowProblem.invalid("invalid_step", "step '" + key + "': `depends_on` is an array of step keys");
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode dependency : dependsOn) {
            if (!dependency.isTextual()) {
                throw WorkflowProblem.invalid("invalid_step", "step '" + key + "': `depends_on` holds step keys");
            }
            keys.add(dependency.asText());
        }
        return keys;
    }

    /** The workflow's terms with the step's own limit and maximum units where it sets them. */
    private static ItemTerms terms(JsonNode step, String key, BidTerms terms) {
        long limit = whole(step.path("limit_micro_credits"), key, "limit_micro_credits", terms.limitMicroCredits(),
                MoneyCaps.MAX_PRICE_PER_UNIT);
        long units = whole(step.path("max_units"), key, "max_units", terms.maxUnits(), SubmitBid.MAX_UNITS);
        return new BidTerms(limit, units, terms.jurisdiction(), terms.minKarma(), terms.maxRttMicros(),
                terms.verifiedOnly()).forItems();
    }

    private static long whole(JsonNode value, String key, String field, long inherited, long max) {
        if (value.isMissingNode() || value.isNull()) {
            return inherited;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1 || value.asLong() > max) {
            throw WorkflowProblem.invalid("invalid_bid_terms", "step '" + key + "': `" + field + "` is a whole "
                    + "number from 1 to " + max);
        }
        return value.asLong();
    }

    private static FailMode failMode(JsonNode mode) {
        if (mode.isMissingNode() || mode.isNull()) {
            return FailMode.FAIL_FAST;
        }
        try {
            return FailMode.valueOf(mode.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw WorkflowProblem.invalid("invalid_fail_mode", "`fail_mode` is fail_fast or best_effort, got "
                    + mode);
        }
    }
}

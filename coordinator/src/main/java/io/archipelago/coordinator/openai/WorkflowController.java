package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.access.Principal;
import io.archipelago.exchange.account.api.HoldRefused;
import io.archipelago.bridge.IslandBridge;
import io.archipelago.bridge.stream.JobStreams;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.workflow.api.CancelWorkflow;
import io.archipelago.exchange.workflow.api.InvalidWorkflow;
import io.archipelago.exchange.workflow.api.SubmitWorkflow;
import io.archipelago.exchange.workflow.api.WorkflowId;
import io.archipelago.projections.workflow.WorkflowProgressView;
import io.archipelago.projections.workflow.WorkflowStepView;
import io.archipelago.projections.workflow.WorkflowView;
import io.archipelago.projections.workflow.WorkflowViews;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * DAG workflows of chat steps ({@link WorkflowRequest} reads and checks the body), each step its own job with its own
 * bid, escrow and settlement, driven by {@link Workflows}. {@code POST /workflows} answers 202 with the workflow and
 * its {@code Location}; {@code GET /workflows/{id}} shows every step (status, Island, attempts, units, cost, output)
 * and, once it ended, the {@code result}: the outputs of the steps no other depends on; {@code GET
 * /workflows/{id}/events} streams its progress; {@code POST /workflows/{id}/cancel} stops every step that has not
 * ended. Saved templates are workflow bodies with declared {@code parameters} (a name and its default, null when a
 * run must give it): {@code POST /workflow-templates}, {@code GET /workflow-templates[/{name}]} and {@code POST
 * /workflow-templates/{name}/runs} with the run's {@code parameters}. Everything reads the read model, on any node;
 * a workflow or template is its account's only: for any other key it is 404. Errors are RFC 7807 problems.
 */
@RestController
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
final class WorkflowController {

    private static final long STREAM_TIMEOUT_MILLIS = 60 * 60 * 1000L;
    /** How long a request waits for the read model to show what it did before it answers from what it sent. */
    private static final Duration PROJECTED = Duration.ofSeconds(10);
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final CommandGateway commands;
    private final WorkflowViews views;
    private final ProgressStream stream;
    private final JobStreams jobStreams;
    private final WorkflowTemplates templates;
    private final BidTermsResolver terms;
    private final KnownModels knownModels;
    private final EmbeddingModels embeddings;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxAttempts;

    WorkflowController(CommandGateway commands, WorkflowViews views, ProgressStream stream, IslandBridge bridge,
                       WorkflowTemplates templates, BidTermsResolver terms, KnownModels knownModels,
                       EmbeddingModels embeddings, ObjectMapper json, Clock clock,
                       @Value("${archipelago.workflows.max-attempts:${archipelago.batches.max-attempts:3}}")
                       int maxAttempts) {
        this.commands = commands;
        this.views = views;
        this.stream = stream;
        this.jobStreams = bridge.streams();
        this.templates = templates;
        this.terms = terms;
        this.knownModels = knownModels;
        this.embeddings = embeddings;
        this.json = json;
        this.clock = clock;
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    @PostMapping(path = "/workflows")
    ResponseEntity<ObjectNode> create(@RequestBody JsonNode body,
                                      @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                                      @Nullable AccountId account,
                                      @RequestHeader HttpHeaders headers) {
        AccountId owner = required(account);
        if (!body.isObject()) {
            throw WorkflowProblem.invalid("invalid_request", "the request body is a JSON object");
        }
        return submit(owner, headers, body, WorkflowRequest.parameters(body.path("parameters")));
    }

    @GetMapping(path = "/workflows/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode workflow(@PathVariable String id,
                        @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                        @Nullable AccountId account) {
        return view(find(id, required(account)));
    }

    @GetMapping(path = "/workflows/{id}/events")
    ResponseEntity<ResponseBodyEmitter> progress(@PathVariable String id,
                                                 @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                                                 @Nullable AccountId account) {
        find(id, required(account));
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(STREAM_TIMEOUT_MILLIS);
        stream.subscribe(seq -> views.progress(id, seq).stream()
                .map(event -> new ProgressStream.Event(event.seq(), event.type(), event.data())).toList(),
                WorkflowProgressView.LAST, emitter, LiveJobProgress.ofWorkflow(jobStreams, json));
        return ResponseEntity.ok().cacheControl(CacheControl.noCache())
                .contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
    }

    @PostMapping(path = "/workflows/{id}/cancel")
    ObjectNode cancel(@PathVariable String id,
                      @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                      @Nullable AccountId account) {
        AccountId owner = required(account);
        find(id, owner);
        commands.sendAndWait(new CancelWorkflow(new WorkflowId(id), "cancelled by its owner", clock.instant()));
        return view(projected(id, owner, workflow -> workflow.finishedAt() != null)
                .orElseGet(() -> find(id, owner)));
    }

    @PostMapping(path = "/workflow-templates")
    ResponseEntity<ObjectNode> saveTemplate(@RequestBody JsonNode body,
                                            @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                                            @Nullable AccountId account,
                                            @RequestHeader HttpHeaders headers) {
        AccountId owner = required(account);
        if (!body.isObject()) {
            throw WorkflowProblem.invalid("invalid_request", "the request body is a JSON object");
        }
        String name = body.path("name").asText("");
        if (!body.path("name").isTextual() || !TEMPLATE_NAME.matcher(name).matches()) {
            throw WorkflowProblem.invalid("invalid_template_name", "`name` is a lower-case letter or digit, then up "
                    + "to 63 lower-case letters, digits, '.', '_' or '-'");
        }
        Map<String, @Nullable String> declared = declared(body.path("parameters"));
        WorkflowRequest.of(body, bidTerms(owner, headers, body), declared.keySet(), models(), json);
        Instant at = clock.instant();
        if (!templates.save(owner.value(), name, body.toString(), at)) {
            throw new WorkflowProblem(HttpStatus.CONFLICT, "template_exists", "this account already has a workflow "
                    + "template named '" + name + "'");
        }
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/workflow-templates/" + name))
                .body(template(new WorkflowTemplates.Template(name, body.toString(), at)));
    }

    @GetMapping(path = "/workflow-templates", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode listTemplates(@RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                             @Nullable AccountId account) {
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        templates.list(required(account).value()).forEach(saved -> data.add(template(saved)));
        return list;
    }

    @GetMapping(path = "/workflow-templates/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode getTemplate(@PathVariable String name,
                           @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                           @Nullable AccountId account) {
        return template(findTemplate(name, required(account)));
    }

    @PostMapping(path = "/workflow-templates/{name}/runs")
    ResponseEntity<ObjectNode> run(@PathVariable String name, @RequestBody(required = false) @Nullable JsonNode body,
                                   @RequestAttribute(name = Principal.ACCOUNT_ATTRIBUTE, required = false)
                                   @Nullable AccountId account,
                                   @RequestHeader HttpHeaders headers) {
        AccountId owner = required(account);
        WorkflowTemplates.Template saved = findTemplate(name, owner);
        JsonNode run = body == null ? json.createObjectNode() : body;
        if (!run.isObject()) {
            throw WorkflowProblem.invalid("invalid_request", "the request body is a JSON object with `parameters`");
        }
        JsonNode stored = read(saved.body());
        Map<String, @Nullable String> declared = declared(stored.path("parameters"));
        Map<String, String> given = WorkflowRequest.parameters(run.path("parameters"));
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, @Nullable String> parameter : declared.entrySet()) {
            String value = given.getOrDefault(parameter.getKey(), parameter.getValue());
            if (value == null) {
                throw WorkflowProblem.invalid("missing_parameter", "template '" + name + "' needs parameter '"
                        + parameter.getKey() + "'");
            }
            values.put(parameter.getKey(), value);
        }
        Set<String> unknown = new HashSet<>(given.keySet());
        unknown.removeAll(declared.keySet());
        if (!unknown.isEmpty()) {
            throw WorkflowProblem.invalid("unknown_parameter", "template '" + name + "' has no parameter "
                    + String.join(", ", new TreeSet<>(unknown)));
        }
        ObjectNode submitted = ((ObjectNode) stored).deepCopy();
        run.properties().forEach(field -> {
            if (!field.getKey().equals("parameters")) {
                submitted.set(field.getKey(), field.getValue());
            }
        });
        return submit(owner, headers, submitted, values);
    }

    private ResponseEntity<ObjectNode> submit(AccountId owner, HttpHeaders headers, JsonNode body,
                                              Map<String, String> parameters) {
        WorkflowRequest request = WorkflowRequest.of(body, bidTerms(owner, headers, body), parameters.keySet(),
                models(), json);
        WorkflowId id = new WorkflowId("wf-" + UUID.randomUUID());
        try {
            // the workflow holds its worst case (every step at limit x maximum units) in the same unit of work
            commands.sendAndWait(new SubmitWorkflow(id, owner, request.steps(), parameters, request.failMode(),
                    maxAttempts, clock.instant()));
        } catch (HoldRefused refused) {
            throw new WorkflowProblem(HttpStatus.PAYMENT_REQUIRED, "insufficient_credits", refused.getMessage());
        } catch (InvalidWorkflow refused) {
            throw WorkflowProblem.invalid(refused.code(), refused.getMessage());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/workflows/" + id))
                .body(view(projected(id.value(), owner, workflow -> true).orElseThrow(() -> new WorkflowProblem(
                        HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "workflow " + id + " was submitted but the "
                        + "read side does not show it yet: GET /workflows/" + id + " shortly"))));
    }

    private BidTerms bidTerms(AccountId owner, HttpHeaders headers, JsonNode body) {
        try {
            return terms.resolve(owner, headers, body);
        } catch (OpenAiException refused) {
            throw new WorkflowProblem(refused.status(), "invalid_bid_terms", refused.getMessage());
        }
    }

    private WorkflowRequest.Models models() {
        Predicate<String> known = model -> knownModels.find(model).isPresent();
        return new WorkflowRequest.Models(known, model -> !model.startsWith(EmbeddingModels.KIND)
                && embeddings.dimensions(model) == null);
    }

    /** A template's parameters: an object of names to a default (a string, a number, a boolean) or null. */
    private static Map<String, @Nullable String> declared(JsonNode parameters) {
        Map<String, @Nullable String> declared = new TreeMap<>();
        if (parameters.isMissingNode() || parameters.isNull()) {
            return declared;
        }
        if (!parameters.isObject()) {
            throw WorkflowProblem.invalid("invalid_parameters", "a template's `parameters` is an object of names to "
                    + "their defaults (null: a run must give it)");
        }
        for (Map.Entry<String, JsonNode> parameter : parameters.properties()) {
            JsonNode value = parameter.getValue();
            if (!value.isValueNode()) {
                throw WorkflowProblem.invalid("invalid_parameters", "parameter '" + parameter.getKey()
                        + "' defaults to a string, a number, a boolean or null");
            }
            declared.put(parameter.getKey(), value.isNull() ? null : value.asText());
        }
        return declared;
    }

    private WorkflowView find(String id, AccountId account) {
        return views.find(id, account.value()).orElseThrow(() -> new WorkflowProblem(HttpStatus.NOT_FOUND,
                "workflow_not_found", "no workflow " + id + " of this account"));
    }

    private WorkflowTemplates.Template findTemplate(String name, AccountId account) {
        return templates.find(account.value(), name).orElseThrow(() -> new WorkflowProblem(HttpStatus.NOT_FOUND,
                "template_not_found", "no workflow template " + name + " of this account"));
    }

    /** The workflow once the read model shows it as {@code wanted}, so that reading it next finds it so. */
    private Optional<WorkflowView> projected(String id, AccountId account, Predicate<WorkflowView> wanted) {
        long deadline = System.nanoTime() + PROJECTED.toNanos();
        Optional<WorkflowView> workflow = views.find(id, account.value());
        while (workflow.filter(wanted).isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            workflow = views.find(id, account.value());
        }
        return workflow.filter(wanted);
    }

    private JsonNode read(String stored) {
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException unreadable) {
            throw new IllegalStateException("a saved template is the JSON it was saved as", unreadable);
        }
    }

    private ObjectNode template(WorkflowTemplates.Template saved) {
        JsonNode body = read(saved.body());
        ObjectNode view = json.createObjectNode().put("name", saved.name()).put("object", "workflow_template")
                .put("created_at", saved.createdAt().toString());
        view.set("parameters", body.path("parameters").isObject() ? body.path("parameters")
                : json.createObjectNode());
        view.set("workflow", body);
        view.putObject("links").put("self", "/workflow-templates/" + saved.name())
                .put("runs", "/workflow-templates/" + saved.name() + "/runs");
        return view;
    }

    private ObjectNode view(WorkflowView workflow) {
        ObjectNode view = json.createObjectNode().put("id", workflow.id()).put("object", "workflow")
                .put("status", workflow.status()).put("fail_mode", workflow.failMode())
                .put("total", workflow.total());
        view.put("completed", workflow.completed()).put("failed", workflow.failed())
                .put("cancelled", workflow.cancelled()).put("cost_micro_credits", workflow.costMicroCredits())
                .put("created_at", workflow.createdAt().toString())
                .put("finished_at", workflow.finishedAt() == null ? null : workflow.finishedAt().toString());
        ArrayNode steps = view.putArray("steps");
        ObjectNode outputs = json.createObjectNode();
        Set<String> dependedOn = new HashSet<>();
        for (WorkflowStepView step : workflow.steps()) {
            dependedOn.addAll(step.dependsOn());
            ObjectNode row = steps.addObject().put("key", step.key()).put("model", step.model());
            row.set("depends_on", json.valueToTree(step.dependsOn()));
            row.put("status", step.status()).put("job_id", step.jobId()).put("island", step.islandId())
                    .put("attempts", step.attempts()).put("units", step.units())
                    .put("cost_micro_credits", step.costMicroCredits());
            row.set("failed_on", json.valueToTree(step.failedOn()));
            row.put("reason", step.reason()).put("output", step.output());
            if (step.status().equals("completed")) {
                outputs.put(step.key(), step.output());
            }
        }
        view.set("outputs", outputs);
        if (workflow.finishedAt() != null) {
            ObjectNode result = view.putObject("result");
            List<WorkflowStepView> sinks = workflow.steps().stream()
                    .filter(step -> !dependedOn.contains(step.key())).toList();
            sinks.forEach(step -> result.put(step.key(), step.output()));
        }
        view.putObject("links").put("self", "/workflows/" + workflow.id())
                .put("events", "/workflows/" + workflow.id() + "/events")
                .put("cancel", "/workflows/" + workflow.id() + "/cancel");
        return view;
    }

    private static AccountId required(@Nullable AccountId account) {
        if (account == null) {
            throw new WorkflowProblem(HttpStatus.UNAUTHORIZED, "invalid_api_key",
                    "workflows belong to accounts: send Authorization: Bearer <the account's API key>");
        }
        return account;
    }
}

package io.archipelago.exchange.workflow;

import io.archipelago.exchange.workflow.api.InvalidWorkflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The templates in a step's input: {@code {{<step>.output.text}}} (the whole output of a step) and
 * {@code {{input.<name>}}} (a parameter of the workflow), spaces allowed inside the braces. A step's input is JSON
 * text and a template may stand only inside one of its strings, so a value is rendered JSON-escaped, without quotes.
 */
public final class Templates {

    /** The name templates give a workflow's parameters. */
    public static final String PARAMETERS = "input";

    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Pattern STEP = Pattern.compile("([a-z][a-z0-9_]{0,31})\\.output\\.text");
    private static final Pattern PARAMETER = Pattern.compile(PARAMETERS + "\\.([A-Za-z0-9_]{1,64})");

    private Templates() {
    }

    /** What one template names: the output of step {@code name}, or parameter {@code name}. */
    public record Reference(boolean parameter, String name) {
    }

    /**
     * Every template of {@code input}, in order.
     *
     * @throws InvalidWorkflow ({@code invalid_template}) naming {@code step} for a template of neither form
     */
    public static List<Reference> references(String step, String input) {
        List<Reference> found = new ArrayList<>();
        Matcher matcher = TEMPLATE.matcher(input);
        while (matcher.find()) {
            found.add(reference(step, matcher.group(1)));
        }
        if (TEMPLATE.matcher(input).replaceAll("").contains("{{")) {
            throw new InvalidWorkflow("invalid_template", "step '" + step + "' has an unclosed '{{' in its input");
        }
        return found;
    }

    /** {@code input} with each template replaced by the output or parameter it names, JSON-escaped. */
    public static String render(String step, String input, Map<String, String> outputs,
                                Map<String, String> parameters) {
        Function<Reference, String> value = reference -> {
            String text = reference.parameter() ? parameters.get(reference.name()) : outputs.get(reference.name());
            if (text == null) {
                throw new IllegalStateException("step '" + step + "' renders '" + reference.name()
                        + "', which has no value yet");
            }
            return escaped(text);
        };
        Matcher matcher = TEMPLATE.matcher(input);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value.apply(reference(step,
                    matcher.group(1)))));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }

    private static Reference reference(String step, String template) {
        Matcher output = STEP.matcher(template);
        if (output.matches()) {
            return new Reference(false, output.group(1));
        }
        Matcher parameter = PARAMETER.matcher(template);
        if (parameter.matches()) {
            return new Reference(true, parameter.group(1));
        }
        throw new InvalidWorkflow("invalid_template", "step '" + step + "' has the template {{" + template
                + "}}: a template is {{<step>.output.text}} or {{" + PARAMETERS + ".<name>}}");
    }

    /** {@code text} as the inside of a JSON string. */
    static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}

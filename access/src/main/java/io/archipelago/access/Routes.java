package io.archipelago.access;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The route table of the whole application, merged from every module's {@link RouteTable}: which {@link Rule} guards
 * each method and path. Routes are tried most specific first, in the order Spring MVC ranks its own mappings
 * ({@link PathPattern#SPECIFICITY_COMPARATOR}: fewer variables and wildcards, then the longer pattern), so no
 * module's catch-all can shadow another module's route, whatever order the tables come in; equally specific routes
 * keep the order of their tables (the beans' order) and of their place in them. A request no route matches is the
 * operator's alone. Two routes of the same pattern for a common method are refused at start. Paths are matched as
 * Spring MVC matches them (the same pattern parser), so a path the table reads one way cannot reach a controller that
 * reads it another way.
 */
final class Routes {

    private static final Comparator<Entry> MOST_SPECIFIC_FIRST =
            Comparator.comparing(Entry::pattern, PathPattern.SPECIFICITY_COMPARATOR);

    private final List<Entry> entries;

    Routes(List<RouteTable> tables) {
        List<Entry> merged = new ArrayList<>();
        for (RouteTable table : tables) {
            for (RouteTable.Route route : table.routes()) {
                Entry entry = new Entry(table.module(), route.methods(),
                        PathPatternParser.defaultInstance.parse(route.pattern()), route.rule());
                merged.stream().filter(entry::clashesWith).findFirst().ifPresent(other -> {
                    throw new IllegalStateException(table.module() + " and " + other.module()
                            + " both guard " + route.pattern());
                });
                merged.add(entry);
            }
        }
        merged.sort(MOST_SPECIFIC_FIRST);
        this.entries = List.copyOf(merged);
    }

    /** The rule guarding {@code method} on {@code path}, with the path's variables. */
    Match match(String method, PathContainer path) {
        HttpMethod asked = HttpMethod.valueOf(method);
        HttpMethod matched = HttpMethod.HEAD.equals(asked) ? HttpMethod.GET : asked;
        for (Entry entry : entries) {
            if (!entry.methods().isEmpty() && !entry.methods().contains(matched)) {
                continue;
            }
            PathPattern.PathMatchInfo info = entry.pattern().matchAndExtract(path);
            if (info != null) {
                return new Match(entry.rule(), info.getUriVariables());
            }
        }
        return new Match(Rule.OPERATOR, Map.of());
    }

    private record Entry(String module, Set<HttpMethod> methods, PathPattern pattern, Rule rule) {

        boolean clashesWith(Entry other) {
            return pattern.getPatternString().equals(other.pattern.getPatternString())
                    && (methods.isEmpty() || other.methods.isEmpty()
                    || methods.stream().anyMatch(other.methods::contains));
        }
    }

    /** The rule a request falls under and the variables of its path ({@code accountId}, {@code jobId}, ...). */
    record Match(Rule rule, Map<String, String> variables) {

        String variable(String name) {
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalStateException("route without {" + name + "} for rule " + rule);
            }
            return value;
        }
    }
}

package io.archipelago.coordinator.access;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The route table: which {@link Rule} guards each method and path. The first route that matches decides; a request
 * no route matches is the operator's alone. Paths are matched as Spring MVC matches them (the same pattern parser),
 * so a path the table reads one way cannot reach a controller that reads it another way. HEAD is GET.
 */
final class Routes {

    private static final Set<HttpMethod> GET = Set.of(HttpMethod.GET);
    private static final Set<HttpMethod> POST = Set.of(HttpMethod.POST);
    private static final Set<HttpMethod> PUT = Set.of(HttpMethod.PUT);
    private static final Set<HttpMethod> ASK_CHANGES = Set.of(HttpMethod.PUT, HttpMethod.DELETE);
    private static final Set<HttpMethod> ANY = Set.of();

    private static final List<Route> TABLE = List.of(
            route(GET, "/actuator/health", Rule.PUBLIC),
            route(GET, "/actuator/health/**", Rule.PUBLIC),
            route(GET, "/actuator/info", Rule.PUBLIC),
            // Stripe signs its webhooks; the controller verifies the signature
            route(POST, "/stripe/webhooks", Rule.PUBLIC),

            route(ANY, "/v1/**", Rule.CONSUMER),
            route(ANY, "/batches", Rule.CONSUMER),
            route(ANY, "/batches/**", Rule.CONSUMER),
            route(ANY, "/quotes", Rule.CONSUMER),
            route(ANY, "/quotes/**", Rule.CONSUMER),

            route(POST, "/accounts", Rule.OPERATOR),
            // credits come from Stripe checkout or the operator, never from the account itself
            route(POST, "/accounts/{accountId}/deposits", Rule.OWN_ACCOUNT_OPERATOR_ACTION),
            route(ANY, "/accounts/{accountId}", Rule.OWN_ACCOUNT),
            route(ANY, "/accounts/{accountId}/**", Rule.OWN_ACCOUNT),

            route(GET, "/jobs/{jobId}", Rule.OWN_JOB),
            route(GET, "/jobs/{jobId}/output", Rule.CLAIMED_JOB),
            route(PUT, "/jobs/{jobId}/input", Rule.CLAIMED_JOB),

            route(POST, "/markets/{cargo}/bids", Rule.BID),
            route(POST, "/markets/{cargo}/asks", Rule.ASK),
            route(ASK_CHANGES, "/markets/{cargo}/asks/{islandId}", Rule.OWN_ISLAND),
            route(GET, "/markets", Rule.ANY_CALLER),
            route(GET, "/markets/**", Rule.ANY_CALLER),

            route(POST, "/islands", Rule.ISLAND_REGISTRATION),
            route(POST, "/islands/{islandId}/session", Rule.OWN_ISLAND),
            route(POST, "/islands/{islandId}/online", Rule.OWN_ISLAND),
            route(POST, "/islands/{islandId}/offline", Rule.OWN_ISLAND),
            route(POST, "/islands/{islandId}/verification", Rule.OWN_ISLAND),
            route(GET, "/islands", Rule.ANY_CALLER),
            route(GET, "/islands/{islandId}", Rule.ANY_CALLER),
            route(GET, "/islands/{islandId}/karma", Rule.ANY_CALLER));

    private Routes() {
    }

    /** The rule guarding {@code method} on {@code path}, with the path's variables. */
    static Match match(String method, PathContainer path) {
        HttpMethod asked = HttpMethod.valueOf(method);
        HttpMethod matched = HttpMethod.HEAD.equals(asked) ? HttpMethod.GET : asked;
        for (Route route : TABLE) {
            if (!route.methods().isEmpty() && !route.methods().contains(matched)) {
                continue;
            }
            PathPattern.PathMatchInfo info = route.pattern().matchAndExtract(path);
            if (info != null) {
                return new Match(route.rule(), info.getUriVariables());
            }
        }
        return new Match(Rule.OPERATOR, Map.of());
    }

    private static Route route(Set<HttpMethod> methods, String pattern, Rule rule) {
        return new Route(methods, PathPatternParser.defaultInstance.parse(pattern), rule);
    }

    /** Who may pass; what an account's key may do, the operator may do as well unless said otherwise. */
    enum Rule {
        /** Anyone, without a credential. */
        PUBLIC,
        /** Any authenticated caller: market data. */
        ANY_CALLER,
        /** The consumer's door ({@code /v1}, batches, quotes): a key acts as its account there. */
        CONSUMER,
        /** The operator alone; a key is refused 403. */
        OPERATOR,
        /** Only the key of {@code {accountId}}. */
        OWN_ACCOUNT,
        /** The operator's action on an account: its own key is refused 403, any other 404. */
        OWN_ACCOUNT_OPERATOR_ACTION,
        /** Only the key of the job's consumer. */
        OWN_JOB,
        /** The key of the job's consumer, or of the first account to use a job id not taken yet. */
        CLAIMED_JOB,
        /** A bid whose body's {@code consumer} is the key's account, with a job id not taken by another account. */
        BID,
        /** An Island registered with the key's account as its body's {@code owner}. */
        ISLAND_REGISTRATION,
        /** Only the key of the account that owns {@code {islandId}}. */
        OWN_ISLAND,
        /** An ask for an Island, named by the body's {@code islandId}, that the key's account owns. */
        ASK
    }

    record Route(Set<HttpMethod> methods, PathPattern pattern, Rule rule) {
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

package io.archipelago.access;

import java.util.List;
import java.util.Set;
import org.springframework.http.HttpMethod;

/**
 * The routes one HTTP module serves and the {@link Rule} guarding each. Every module that answers HTTP declares its
 * own table as a bean; the access filter matches each request against all of them, the most specific route first (see
 * {@link Routes}). A request that no table names is the operator's alone.
 *
 * @param module the module declaring the routes, named in the error when two tables claim the same route
 * @param routes its routes, in any order
 */
public record RouteTable(String module, List<Route> routes) {

    public RouteTable {
        routes = List.copyOf(routes);
    }

    /** The table of {@code module}. */
    public static RouteTable of(String module, Route... routes) {
        return new RouteTable(module, List.of(routes));
    }

    /**
     * One path pattern, in Spring MVC's syntax, under one rule.
     *
     * @param methods the methods it guards; empty for every method. HEAD is matched as GET
     * @param pattern the path, with the variables its rule reads ({@code {accountId}}, {@code {jobId}},
     *                {@code {islandId}})
     * @param rule    who may pass
     */
    public record Route(Set<HttpMethod> methods, String pattern, Rule rule) {

        public Route {
            methods = Set.copyOf(methods);
        }

        /** {@code GET} (and HEAD) on {@code pattern}. */
        public static Route get(String pattern, Rule rule) {
            return new Route(Set.of(HttpMethod.GET), pattern, rule);
        }

        /** {@code POST} on {@code pattern}. */
        public static Route post(String pattern, Rule rule) {
            return new Route(Set.of(HttpMethod.POST), pattern, rule);
        }

        /** {@code PUT} on {@code pattern}. */
        public static Route put(String pattern, Rule rule) {
            return new Route(Set.of(HttpMethod.PUT), pattern, rule);
        }

        /** {@code DELETE} on {@code pattern}. */
        public static Route delete(String pattern, Rule rule) {
            return new Route(Set.of(HttpMethod.DELETE), pattern, rule);
        }

        /** Every method on {@code pattern}. */
        public static Route any(String pattern, Rule rule) {
            return new Route(Set.of(), pattern, rule);
        }
    }
}

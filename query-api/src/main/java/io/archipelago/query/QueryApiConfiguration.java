package io.archipelago.query;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.ComponentScan;

/** The query endpoints and their problem advice, over the read models of the projections module. */
@AutoConfiguration
@ComponentScan(basePackages = {"io.archipelago.query.account", "io.archipelago.query.job",
        "io.archipelago.query.market", "io.archipelago.query.web"})
public class QueryApiConfiguration {
}

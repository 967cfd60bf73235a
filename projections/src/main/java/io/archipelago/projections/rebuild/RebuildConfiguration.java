package io.archipelago.projections.rebuild;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The rebuild of the read models, for the admin endpoint and the coordinator's rebuild command. */
@Configuration(proxyBeanMethods = false)
class RebuildConfiguration {

    @Bean
    ReadModelRebuild readModelRebuild(ObjectProvider<org.axonframework.config.Configuration> axon,
                                      JdbcTemplate jdbc) {
        return new ReadModelRebuild(axon::getObject, jdbc);
    }
}

package io.archipelago.projections.rebuild;

import io.archipelago.projections.ProjectionsConfiguration;
import io.archipelago.projections.ReadModelWrites;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The rebuild of the read models, for the admin endpoint and the coordinator's rebuild command. */
@Configuration(proxyBeanMethods = false)
class RebuildConfiguration {

    /**
     * Workers split by aggregate ({@code archipelago.rebuild.threads}, rounded down to a power of two) and events
     * per transaction of a worker ({@code archipelago.rebuild.batch-size}).
     */
    @Bean
    ReadModelRebuild readModelRebuild(ObjectProvider<org.axonframework.config.Configuration> axon,
                                      ListableBeanFactory beans, DataSource dataSource,
                                      PlatformTransactionManager transactions, ReadModelWrites writes,
                                      @Value("${archipelago.rebuild.threads:2}") int threads,
                                      @Value("${archipelago.rebuild.batch-size:2000}") int batchSize) {
        return new ReadModelRebuild(axon::getObject, () -> projections(beans), dataSource,
                new TransactionTemplate(transactions), writes, threads, batchSize);
    }

    /** The beans whose handlers the {@code projections} processor runs. */
    private static List<Object> projections(ListableBeanFactory beans) {
        return beans.getBeansWithAnnotation(ProcessingGroup.class).values().stream()
                .filter(bean -> ProjectionsConfiguration.PROCESSING_GROUP.equals(
                        bean.getClass().getAnnotation(ProcessingGroup.class).value()))
                .toList();
    }
}

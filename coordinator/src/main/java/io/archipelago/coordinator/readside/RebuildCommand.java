package io.archipelago.coordinator.readside;

import io.archipelago.projections.rebuild.ReadModelRebuild;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * {@code --rebuild-read-models}: once the coordinator has started (without its web server), rebuilds every read
 * model from the first event, prints progress and the time it took, and stops the coordinator with exit code 0, or 1
 * when the rebuild failed.
 */
@Component
final class RebuildCommand implements ApplicationRunner {

    private final ReadModelRebuild rebuild;
    private final ConfigurableApplicationContext context;
    private final Duration timeout;

    RebuildCommand(ReadModelRebuild rebuild, ConfigurableApplicationContext context,
                   @Value("${archipelago.rebuild.timeout:1h}") Duration timeout) {
        this.rebuild = rebuild;
        this.context = context;
        this.timeout = timeout;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        if (!arguments.containsOption(ReadSideCommands.REBUILD.substring(2))) {
            return;
        }
        int code;
        try {
            rebuild.rebuild(timeout, System.out::println);
            code = 0;
        } catch (RuntimeException failed) {
            System.err.println("rebuild: failed: " + failed.getMessage());
            code = 1;
        }
        int exit = code;
        System.exit(SpringApplication.exit(context, () -> exit));
    }
}

package io.archipelago.projections.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.jspecify.annotations.Nullable;

/**
 * {@code archipelago.processor.lag{processor}}: how many positions of the event stream a processor's slowest segment
 * is behind the store's head (as the event store gives it), read when scraped. NaN when the processor does not run
 * here or holds no segment.
 */
final class ProcessorLag {

    private final Supplier<Configuration> axon;

    ProcessorLag(Supplier<Configuration> axon) {
        this.axon = axon;
    }

    void register(MeterRegistry meters, List<String> processors) {
        for (String processor : processors) {
            Gauge.builder("archipelago.processor.lag", () -> lag(processor))
                    .description("Events between the head of the store and a processor's slowest segment")
                    .tag("processor", processor)
                    .register(meters);
        }
    }

    double lag(String processor) {
        var found = axon.get().eventProcessingConfiguration()
                .eventProcessor(processor, StreamingEventProcessor.class);
        if (found.isEmpty() || found.get().processingStatus().isEmpty()) {
            return Double.NaN;
        }
        long slowest = found.get().processingStatus().values().stream()
                .mapToLong(segment -> segment.getCurrentPosition().orElse(-1)).min().orElse(-1);
        @Nullable TrackingToken head = axon.get().eventStore().createHeadToken();
        return Math.max(0, (head == null ? 0 : head.position().orElse(0)) - slowest);
    }
}

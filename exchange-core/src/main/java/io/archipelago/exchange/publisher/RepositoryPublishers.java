package io.archipelago.exchange.publisher;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.publisher.api.PublisherProfile;
import io.archipelago.exchange.publisher.api.Publishers;
import java.util.Optional;
import java.util.function.Supplier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

/** {@link Publishers} over the Publisher aggregates, loaded in the caller's unit of work. */
public final class RepositoryPublishers implements Publishers {

    private final Supplier<Repository<Publisher>> publishers;

    public RepositoryPublishers(Supplier<Repository<Publisher>> publishers) {
        this.publishers = publishers;
    }

    @Override
    public Optional<PublisherProfile> profileOf(AccountId publisher) {
        try {
            return Optional.of(publishers.get().load(publisher.value()).invoke(Publisher::profile));
        } catch (AggregateNotFoundException unknown) {
            return Optional.empty();
        }
    }
}

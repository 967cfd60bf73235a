package io.archipelago.payments;

import com.stripe.StripeClient;
import java.time.Clock;
import java.util.Arrays;
import java.util.stream.Stream;
import org.flywaydb.core.api.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Stripe client from {@code STRIPE_API_KEY}, {@code STRIPE_WEBHOOK_SECRET} and {@code STRIPE_API_BASE}
 * (a local stub in tests). Without a key and a secret, payments are off: their endpoints answer 503, deposits are
 * made only by the operator's deposit command, and requested payouts wait.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PaymentsProperties.class, PayoutProperties.class})
class PaymentsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentsConfiguration.class);

    /** The payments module's migrations, numbered in Flyway major version 7 so they never collide with others'. */
    static final String MIGRATIONS = "classpath:db/migration/payments";

    /** Adds the module's migrations to the application's one Flyway, whatever locations it already has. */
    @Bean
    FlywayConfigurationCustomizer paymentsMigrations() {
        return configuration -> {
            Location ours = new Location(MIGRATIONS);
            Location[] locations = configuration.getLocations();
            if (Arrays.stream(locations).noneMatch(location -> location.getDescriptor().equals(ours.getDescriptor()))) {
                configuration.locations(Stream.concat(Arrays.stream(locations), Stream.of(ours))
                        .toArray(Location[]::new));
            }
        };
    }

    @Bean
    Stripe stripe(@Value("${STRIPE_API_KEY:}") String apiKey,
                  @Value("${STRIPE_WEBHOOK_SECRET:}") String webhookSecret,
                  @Value("${STRIPE_API_BASE:}") String apiBase,
                  PaymentsProperties properties, Clock clock) {
        if (apiKey.isBlank() || webhookSecret.isBlank()) {
            LOG.info("payments are off: STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET are not both set");
            return new Stripe(null, "", properties.webhookTolerance(), clock);
        }
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(apiKey)
                .setMaxNetworkRetries(properties.networkRetries())
                .setReadTimeout(Math.toIntExact(properties.readTimeout().toMillis()));
        if (!apiBase.isBlank()) {
            builder.setApiBase(apiBase);
        }
        LOG.info("payments are on{}", apiBase.isBlank() ? "" : " against " + apiBase);
        return new Stripe(builder.build(), webhookSecret, properties.webhookTolerance(), clock);
    }
}

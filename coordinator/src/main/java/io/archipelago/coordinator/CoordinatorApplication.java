package io.archipelago.coordinator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the coordinator: embedded PostgreSQL (or {@code DATABASE_URL}), Flyway, Axon and the HTTP APIs.
 */
@SpringBootApplication(scanBasePackages = "io.archipelago", proxyBeanMethods = false)
public final class CoordinatorApplication {

    /** Axon prints an advertisement for its console at every start unless this system property is set. */
    static final String CONSOLE_MESSAGE_PROPERTY = "disable-axoniq-console-message";

    public static void main(String[] args) {
        if (System.getProperty(CONSOLE_MESSAGE_PROPERTY) == null) {
            System.setProperty(CONSOLE_MESSAGE_PROPERTY, "true");
        }
        SpringApplication.run(CoordinatorApplication.class, args);
    }
}

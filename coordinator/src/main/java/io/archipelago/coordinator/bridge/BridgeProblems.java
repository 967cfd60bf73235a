package io.archipelago.coordinator.bridge;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring MVC's own refusals on the bridge's routes (an unreadable or missing body, a missing parameter, a method not
 * allowed) as RFC 7807 problems, like every other refusal of the exchange, instead of Spring Boot's error object.
 */
@RestControllerAdvice(basePackages = "io.archipelago.coordinator.bridge")
@Order(Ordered.HIGHEST_PRECEDENCE)
final class BridgeProblems extends ResponseEntityExceptionHandler {
}

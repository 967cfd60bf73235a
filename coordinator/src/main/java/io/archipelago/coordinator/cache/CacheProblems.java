package io.archipelago.coordinator.cache;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The cache routes' refusals (their own, and Spring MVC's: an unreadable body, a method not allowed) as RFC 7807
 * problems, like every other refusal outside {@code /v1}.
 */
@RestControllerAdvice(basePackages = "io.archipelago.coordinator.cache")
@Order(Ordered.HIGHEST_PRECEDENCE)
final class CacheProblems extends ResponseEntityExceptionHandler {
}

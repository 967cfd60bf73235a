package io.archipelago.command.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of a command endpoint into an RFC 7807 problem: bad input 400, unknown target 404, conflict
 * with the exchange's state or a duplicate creation 409, no answer in time 503, anything else 500 with a generic
 * detail (logged here, never sent). A request that fails changes nothing: the command either was never sent or its
 * unit of work rolled back.
 */
@RestControllerAdvice(basePackages = "io.archipelago.command")
public final class ExchangeProblems extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeProblems.class);
    private static final Map<Class<?>, String> SCALARS = Map.of(
            Long.class, "a whole number", long.class, "a whole number",
            Integer.class, "a whole number", int.class, "a whole number",
            Boolean.class, "true or false", boolean.class, "true or false",
            String.class, "a string");

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badInput(IllegalArgumentException failure) {
        return problem(HttpStatus.BAD_REQUEST, failure.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail conflict(IllegalStateException failure) {
        return problem(HttpStatus.CONFLICT, failure.getMessage());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail notFound(AggregateNotFoundException failure) {
        return problem(HttpStatus.NOT_FOUND, "'" + failure.getAggregateIdentifier() + "' does not exist");
    }

    @ExceptionHandler(AggregateStreamCreationException.class)
    ProblemDetail duplicate(AggregateStreamCreationException failure) {
        return problem(HttpStatus.CONFLICT, "it already exists: something with this id was created before");
    }

    @ExceptionHandler(ConcurrencyException.class)
    ProblemDetail concurrent(ConcurrencyException failure) {
        return problem(HttpStatus.CONFLICT, "it was changed by another request at the same time; try again");
    }

    @ExceptionHandler(CommandTimedOut.class)
    ProblemDetail timedOut(CommandTimedOut failure) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, failure.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception failure) {
        RuntimeException cause = Commands.unwrap(failure);
        if (cause != failure && !(cause instanceof UndeclaredThrowableException)) {
            return answer(cause);
        }
        LOG.error("request failed unexpectedly", failure);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "the exchange could not handle this request");
    }

    /** A wrapped failure (e.g. Axon's CommandExecutionException) is answered as its cause would be. */
    private ProblemDetail answer(RuntimeException cause) {
        if (cause instanceof IllegalArgumentException badInput) {
            return badInput(badInput);
        }
        if (cause instanceof IllegalStateException conflict) {
            return conflict(conflict);
        }
        if (cause instanceof AggregateNotFoundException notFound) {
            return notFound(notFound);
        }
        if (cause instanceof AggregateStreamCreationException duplicate) {
            return duplicate(duplicate);
        }
        if (cause instanceof ConcurrencyException concurrent) {
            return concurrent(concurrent);
        }
        if (cause instanceof CommandTimedOut timedOut) {
            return timedOut(timedOut);
        }
        LOG.error("request failed unexpectedly", cause);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "the exchange could not handle this request");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException failure,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        String detail = failure.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getField() + ": " + message(error))
                .sorted()
                .collect(Collectors.joining("; "));
        if (detail.isEmpty()) {
            detail = "the request body is invalid";
        }
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, detail));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException failure,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, unreadable(failure.getCause())));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException failure, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = failure.getPropertyName() == null ? "a parameter" : failure.getPropertyName();
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST,
                name + ": '" + failure.getValue() + "' is not " + expected(failure.getRequiredType())));
    }

    static ProblemDetail problem(HttpStatus status, @Nullable String detail) {
        return ProblemDetail.forStatusAndDetail(status, detail == null ? status.getReasonPhrase() : detail);
    }

    private static String message(FieldError error) {
        return Objects.requireNonNullElse(error.getDefaultMessage(), "is invalid");
    }

    /** Says what is wrong with a body Jackson could not read, in terms of the request's own fields. */
    private static String unreadable(@Nullable Throwable cause) {
        if (cause == null) {
            return "a JSON body is required";
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "'; the fields are "
                    + names(unknown.getKnownPropertyIds());
        }
        if (cause instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            return instantiation.getCause().getMessage();
        }
        if (cause instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            String expected = expected(mismatch.getTargetType());
            return field.isEmpty() ? "the body must be " + expected : field + ": expected " + expected;
        }
        if (cause instanceof JsonProcessingException json) {
            return "the body is not valid JSON: " + json.getOriginalMessage();
        }
        return "the body could not be read";
    }

    private static String path(JsonMappingException failure) {
        return failure.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "a value of the right type";
        }
        String scalar = SCALARS.get(type);
        if (scalar != null) {
            return scalar;
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        return "a JSON object";
    }

    private static String names(@Nullable Collection<Object> fields) {
        return fields == null ? "[]" : new TreeSet<>(fields.stream().map(String::valueOf).toList()).toString();
    }
}

package io.archipelago.coordinator.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.introspect.VisibilityChecker;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of everything Axon stores: events, snapshots, tokens, sagas and dead letters. Events are a stored
 * contract, so a record is written as exactly its components; derived accessors such as {@code isZero()} or
 * {@code isAlways()} never leak into the event store. Times are ISO-8601 strings with full precision.
 */
final class ExchangeJson {

    private ExchangeJson() {
    }

    static ObjectMapper objectMapper() {
        return JsonMapper.builder()
                .annotationIntrospector(new RecordComponentsOnly())
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                // a tolerant reader: a component removed from an event must not make its old events unreadable
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }

    /**
     * Jackson treats every {@code isX()}/{@code getX()} method of a record as a property. For records only, this
     * hides those methods and reads the component fields instead; Axon's own classes keep their annotations.
     */
    private static final class RecordComponentsOnly extends JacksonAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public VisibilityChecker<?> findAutoDetectVisibility(AnnotatedClass type, VisibilityChecker<?> checker) {
            VisibilityChecker<?> visibility = super.findAutoDetectVisibility(type, checker);
            if (!type.getRawType().isRecord()) {
                return visibility;
            }
            return visibility.withGetterVisibility(Visibility.NONE)
                    .withIsGetterVisibility(Visibility.NONE)
                    .withFieldVisibility(Visibility.ANY);
        }
    }
}

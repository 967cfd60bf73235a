package io.archipelago.command.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Makes unknown fields fail the bodies marked {@link RejectUnknownFields}, leaving Spring Boot's lenient default for
 * every other type (a global {@code FAIL_ON_UNKNOWN_PROPERTIES} would break OpenAI clients).
 */
public final class RejectUnknownFieldsModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    public RejectUnknownFieldsModule() {
        super(RejectUnknownFieldsModule.class.getSimpleName());
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addDeserializationProblemHandler(new Strict());
    }

    private static final class Strict extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
                                             JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName)
                throws IOException {
            Class<?> type = beanOrClass instanceof Class<?> known ? known : beanOrClass.getClass();
            if (type.isAnnotationPresent(RejectUnknownFields.class)) {
                throw UnrecognizedPropertyException.from(parser, beanOrClass, propertyName,
                        deserializer.getKnownPropertyNames());
            }
            return false;
        }
    }
}

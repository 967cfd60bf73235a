package io.archipelago.command.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a request body whose unknown JSON fields are an error rather than ignored: a misspelt optional field such as
 * {@code "jurisdicton"} must not silently turn into the default. Lenient bodies (the OpenAI-compatible ones, whose
 * clients send fields we do not know) simply do not carry it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RejectUnknownFields {
}

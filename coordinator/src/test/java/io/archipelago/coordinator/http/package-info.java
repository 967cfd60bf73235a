/**
 * The exchange driven end to end over HTTP: the real coordinator on a random port, embedded PostgreSQL, read models.
 */
@NullMarked
package io.archipelago.coordinator.http;

import org.jspecify.annotations.NullMarked;

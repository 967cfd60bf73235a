/** Tests of authentication, authorisation, key lifecycle, rate and body limits against a whole coordinator. */
@NullMarked
package io.archipelago.coordinator.access;

import org.jspecify.annotations.NullMarked;

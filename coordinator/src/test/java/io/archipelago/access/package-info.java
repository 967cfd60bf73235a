/** Tests of authentication, authorisation, key lifecycle, rate and body limits against a whole coordinator. */
@NullMarked
package io.archipelago.access;

import org.jspecify.annotations.NullMarked;

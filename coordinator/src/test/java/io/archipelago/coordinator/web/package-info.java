/** The browser app in headless Chromium against a whole running coordinator. */
@NullMarked
package io.archipelago.coordinator.web;

import org.jspecify.annotations.NullMarked;

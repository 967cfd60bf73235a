/**
 * The job endpoint.
 */
@NullMarked
package io.archipelago.query.job;

import org.jspecify.annotations.NullMarked;

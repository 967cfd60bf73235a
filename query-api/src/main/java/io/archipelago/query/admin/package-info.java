/**
 * The operator's read-side endpoints: dead letters and their retry, the rebuild of the read models.
 */
@NullMarked
package io.archipelago.query.admin;

import org.jspecify.annotations.NullMarked;

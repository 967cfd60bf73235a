/**
 * The workflow read model: each workflow with its steps' outcomes and outputs, and its progress events in order.
 */
@NullMarked
package io.archipelago.projections.workflow;

import org.jspecify.annotations.NullMarked;

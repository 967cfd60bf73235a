/**
 * The Workflow aggregate: a DAG of steps, each placed as a job of its own once the steps it depends on completed,
 * its input rendered from their outputs; the rules that check a DAG and render its templates.
 */
@NullMarked
package io.archipelago.exchange.workflow;

import org.jspecify.annotations.NullMarked;

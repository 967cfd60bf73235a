/**
 * Commands, events and value types of workflows: the DAG submitted, each attempt of each step, how it ended.
 */
@NullMarked
package io.archipelago.exchange.workflow.api;

import org.jspecify.annotations.NullMarked;

/**
 * The program a host runs to turn a machine into an Island: it registers through the coordinator's HTTP API, joins
 * NATS with the Island's own key, answers probes, and runs the jobs it is offered on a runtime.
 */
@NullMarked
package io.archipelago.agent;

import org.jspecify.annotations.NullMarked;

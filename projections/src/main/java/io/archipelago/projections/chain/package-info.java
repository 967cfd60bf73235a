/**
 * A hash chain over the events, in the order the event stream delivers them: tamper evidence for the auditor.
 */
@NullMarked
package io.archipelago.projections.chain;

import org.jspecify.annotations.NullMarked;

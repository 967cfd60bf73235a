/**
 * A hash chain over the events, in the order the event stream delivers them, and its head signed with a key the
 * database does not hold into checkpoints kept outside it: tamper evidence for the auditor.
 */
@NullMarked
package io.archipelago.projections.chain;

import org.jspecify.annotations.NullMarked;

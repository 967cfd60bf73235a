/**
 * The read side over HTTP: jobs, balances and markets as JSON from the read models, wired by auto-configuration.
 */
@NullMarked
package io.archipelago.query;

import org.jspecify.annotations.NullMarked;

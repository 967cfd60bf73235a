/**
 * HTTP plumbing shared by the command endpoints: sending commands, strict JSON bodies and RFC 7807 problems.
 */
@NullMarked
package io.archipelago.command.web;

import org.jspecify.annotations.NullMarked;

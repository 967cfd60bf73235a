/**
 * How the query endpoints answer failures: RFC 7807 problems.
 */
@NullMarked
package io.archipelago.query.web;

import org.jspecify.annotations.NullMarked;

/** Tests of the route table, the WebSocket key offer and the response tee, without a server. */
@NullMarked
package io.archipelago.access;

import org.jspecify.annotations.NullMarked;

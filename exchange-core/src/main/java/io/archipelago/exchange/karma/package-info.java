/**
 * The pure karma policy: how success, latency and uptime move an Island's karma, with decay.
 */
@NullMarked
package io.archipelago.exchange.karma;

import org.jspecify.annotations.NullMarked;

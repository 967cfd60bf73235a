/**
 * The pure rules of a rollout, which splits one model name's traffic across versions: the sequential test that
 * compares a challenger with the incumbent after every observation, and the policy that promotes a winner or rolls
 * back a variant clearly worse on errors.
 */
@NullMarked
package io.archipelago.exchange.rollout;

import org.jspecify.annotations.NullMarked;

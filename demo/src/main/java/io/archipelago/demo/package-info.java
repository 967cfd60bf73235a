/**
 * The demo: {@link io.archipelago.demo.DemoIslands} runs Islands in the coordinator's JVM (chat, embeddings, images
 * and a signed container Cargo from a local registry, {@link io.archipelago.demo.DemoContainerCargo}), two of them
 * behind a {@link io.archipelago.demo.DelayingProxy} that stands in for distance. A production coordinator does not
 * need it: the coordinator starts it only with {@code archipelago.demo-islands=true}.
 */
@NullMarked
package io.archipelago.demo;

import org.jspecify.annotations.NullMarked;

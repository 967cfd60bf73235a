/**
 * One model split across several Islands: all-MiniLM-L6-v2's encoder computed in plain Java from the weights of
 * its ONNX file, so that a stage runs a range of its transformer layers on an activation tensor.
 */
@NullMarked
package io.archipelago.agent.pipeline;

import org.jspecify.annotations.NullMarked;

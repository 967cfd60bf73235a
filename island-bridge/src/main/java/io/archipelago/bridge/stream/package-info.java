/**
 * The output of jobs as in-process streams: in order, once, with replay for late subscribers, and a slow subscriber
 * never holding up another job.
 */
@NullMarked
package io.archipelago.bridge.stream;

import org.jspecify.annotations.NullMarked;

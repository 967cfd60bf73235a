/** The Cargo registry: browse and search versions, read one version's manifest, signature and record, publishers. */
@NullMarked
package io.archipelago.query.registry;

import org.jspecify.annotations.NullMarked;

package io.hireloop.platform.serialization;

/**
 * Marker for every message, event and snapshot that crosses the network or goes to the journal.
 * Bound to {@link KryoSerializer} in serialization.conf; each concrete class needs a stable id in
 * {@link KryoRegistrations}.
 */
public interface HireloopSerializable {}

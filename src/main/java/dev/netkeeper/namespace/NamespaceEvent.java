package dev.netkeeper.namespace;

import dev.netkeeper.api.Audit;
import dev.netkeeper.kernel.CborSerializable;

/** What a namespace journals. Each event carries its {@link Audit}. */
public sealed interface NamespaceEvent extends CborSerializable {
    Audit audit();

    record NamespaceCreated(String host, String path, Audit audit) implements NamespaceEvent {}

    /** A namespace of another owner, known by {@code identity} ("dev:ino" of its nsfs inode), is used. */
    record NamespaceUsed(String host, String path, String identity, Audit audit) implements NamespaceEvent {}

    /** Journaled before the kernel moves the interface in. */
    record InterfaceAdded(PlacedInterface placed, Audit audit) implements NamespaceEvent {}

    record InterfaceRemoved(String dstName, String reason, Audit audit) implements NamespaceEvent {}

    record NamespaceDeleted(Audit audit) implements NamespaceEvent {}
}

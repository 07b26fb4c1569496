package dev.netkeeper.client;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.namespace.NamespaceCommand;
import org.apache.pekko.Done;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** A network namespace, as the seed has it: {@code path()}, {@code interfaces()}, {@code addInterface(iface)}. */
public final class Namespace {
    private final NetkeeperClient client;
    private final String path;

    Namespace(NetkeeperClient client, String path) {
        this.client = client;
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** Exactly the interfaces added through this namespace, with their final dstNames. */
    public List<Interface> interfaces() {
        return info().interfaces();
    }

    public NamespaceInfo info() {
        return Calls.await(client.calls.<NamespaceCommand, NamespaceInfo>ask(client.namespaceRef(path),
                NamespaceCommand.Get::new));
    }

    /** Moves the interface in; answers it as placed (dstName "eth" becomes "eth0", "eth1", ...). */
    public Interface addInterface(Interface iface) {
        return Calls.await(addInterfaceAsync(iface));
    }

    public CompletionStage<Interface> addInterfaceAsync(Interface iface) {
        return client.calls.<NamespaceCommand, Interface>ask(client.namespaceRef(path),
                r -> new NamespaceCommand.AddInterface(iface, client.audit(), r));
    }

    public void removeInterface(String dstName) {
        Calls.await(client.calls.<NamespaceCommand, Done>ask(client.namespaceRef(path),
                r -> new NamespaceCommand.RemoveInterface(dstName, client.audit(), r)));
    }

    public void delete() {
        Calls.await(client.calls.<NamespaceCommand, Done>ask(client.namespaceRef(path),
                r -> new NamespaceCommand.Delete(client.audit(), r)));
    }

    @Override
    public String toString() {
        return "namespace " + path;
    }
}

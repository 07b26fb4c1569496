package dev.netkeeper.client;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.AddedInterface;
import dev.netkeeper.api.Request;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** A network namespace, as the seed has it: {@code path()}, {@code interfaces()}, {@code addInterface(iface)}. */
public final class Namespace {
    private final NetkeeperClient client;
    private final String host;
    private final String path;

    Namespace(NetkeeperClient client, String host, String path) {
        this.client = client;
        this.host = host;
        this.path = path;
    }

    public String path() {
        return path;
    }

    public String host() {
        return host;
    }

    /** Exactly the interfaces added through this namespace, with their final dstNames. */
    public List<Interface> interfaces() {
        return info().interfaces();
    }

    public NamespaceInfo info() {
        return Calls.await(client.send(new Request.GetNamespace(host, path)));
    }

    /** Moves the interface in; answers it as placed (dstName "eth" becomes "eth0", "eth1", ...). */
    public Interface addInterface(Interface iface) {
        return Calls.await(addInterfaceAsync(iface));
    }

    public CompletionStage<Interface> addInterfaceAsync(Interface iface) {
        return client.send(new Request.AddInterface(host, path, iface, client.audit())).thenApply(AddedInterface::iface);
    }

    public void removeInterface(String dstName) {
        Calls.await(client.send(new Request.RemoveInterface(host, path, dstName, client.audit())));
    }

    /** Whether the kernel holds this namespace's interfaces as the journal says; KERNEL_DIFFERS names what differs. */
    public void check() {
        Calls.await(client.send(new Request.CheckNamespace(host, path)));
    }

    public void delete() {
        Calls.await(client.send(new Request.DeleteNamespace(host, path, client.audit())));
    }

    @Override
    public String toString() {
        return "namespace " + host + ":" + path;
    }
}

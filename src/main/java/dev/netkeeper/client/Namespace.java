package dev.netkeeper.client;

import dev.netkeeper.api.Audit;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.namespace.NamespaceCommand;
import org.apache.pekko.Done;

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
        return Calls.await(client.<NamespaceInfo>toNamespace(host, path, NamespaceCommand.Get::new));
    }

    /** Moves the interface in; answers it as placed (dstName "eth" becomes "eth0", "eth1", ...). */
    public Interface addInterface(Interface iface) {
        return Calls.await(addInterfaceAsync(iface));
    }

    public CompletionStage<Interface> addInterfaceAsync(Interface iface) {
        Audit audit = client.audit(); // one request id for the call and all its retries
        return client.toNamespace(host, path, r -> new NamespaceCommand.AddInterface(iface, audit, r));
    }

    public void removeInterface(String dstName) {
        Audit audit = client.audit();
        Calls.await(client.<Done>toNamespace(host, path, r -> new NamespaceCommand.RemoveInterface(dstName, audit, r)));
    }

    public void delete() {
        Audit audit = client.audit();
        Calls.await(client.<Done>toNamespace(host, path, r -> new NamespaceCommand.Delete(audit, r)));
    }

    @Override
    public String toString() {
        return "namespace " + host + ":" + path;
    }
}

package dev.netkeeper.client;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.Request;
import org.apache.pekko.Done;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** A network, as the seed has it: {@code name()}, {@code type()}, {@code link(name)}. */
public final class Network {
    private final NetkeeperClient client;
    private final String name;
    private final String type;

    Network(NetkeeperClient client, String name, String type) {
        this.client = client;
        this.name = name;
        this.type = type;
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    /** The interfaces of the container known as {@code endpoint} (the same ones again if already linked). */
    public List<Interface> link(String endpoint) {
        return Calls.await(linkAsync(endpoint));
    }

    public CompletionStage<List<Interface>> linkAsync(String endpoint) {
        return linkAsync(endpoint, null);
    }

    /**
     * Links {@code endpoint} with its interfaces made on host {@code onHost} (the bridge is set up there
     * the first time), to be added to a namespace of that host; null: the host of the agent this client
     * talks to.
     */
    public List<Interface> link(String endpoint, String onHost) {
        return Calls.await(linkAsync(endpoint, onHost));
    }

    public CompletionStage<List<Interface>> linkAsync(String endpoint, String onHost) {
        return linkAsync(endpoint, onHost, LinkOptions.NONE);
    }

    /**
     * Links {@code endpoint} as {@code options} say: with a namespace (a path on the link's host, made or used
     * through this client's namespaces), in one step, its interface born there under its final name, addressed, up
     * and routed; the interface answered is the one in the namespace.
     */
    public List<Interface> link(String endpoint, LinkOptions options) {
        return link(endpoint, null, options);
    }

    public List<Interface> link(String endpoint, String onHost, LinkOptions options) {
        return Calls.await(linkAsync(endpoint, onHost, options));
    }

    public CompletionStage<List<Interface>> linkAsync(String endpoint, String onHost, LinkOptions options) {
        return linkEndpointAsync(endpoint, onHost, options).thenApply(Interfaces::interfaces);
    }

    /** As {@link #link(String, String, LinkOptions)}, answering the host ports published too (the ones chosen). */
    public Interfaces linkEndpoint(String endpoint, String onHost, LinkOptions options) {
        return Calls.await(linkEndpointAsync(endpoint, onHost, options));
    }

    public CompletionStage<Interfaces> linkEndpointAsync(String endpoint, String onHost, LinkOptions options) {
        // every option travels (a namespace, ports, addresses asked for, aliases); none at all: the seed's request
        boolean any = options != null && !LinkOptions.NONE.equals(options);
        return client.send(new Request.Link(name, endpoint, onHost, client.audit(), any ? options : null));
    }

    /**
     * Publishes host ports to the endpoint ({@code PortMapping.parse("8080:80/tcp")}); answers every port it publishes
     * now, with the host ports chosen for mappings that left them open. Refused PORT_IN_USE, NOT_SUPPORTED.
     */
    public List<PortMapping> publish(String endpoint, PortMapping... ports) {
        return Calls.await(client.send(new Request.Publish(name, endpoint, List.of(ports), client.audit()))).published();
    }

    /** Stops publishing these host ports (matched by protocol and host port); answers the ports left. */
    public List<PortMapping> unpublish(String endpoint, PortMapping... ports) {
        return Calls.await(client.send(new Request.Unpublish(name, endpoint, List.of(ports), client.audit()))).published();
    }

    /** The host whose agent runs this network's entity now (it moves when that agent goes away). */
    public String runsOn() {
        return Calls.await(client.send(new Request.LocateNetwork(name))).host();
    }

    public void unlink(String endpoint) {
        Calls.await(unlinkAsync(endpoint));
    }

    public CompletionStage<Done> unlinkAsync(String endpoint) {
        return client.send(new Request.Unlink(name, endpoint, client.audit()));
    }

    public void delete(boolean force) {
        Calls.await(deleteAsync(force));
    }

    public CompletionStage<Done> deleteAsync(boolean force) {
        return client.send(new Request.DeleteNetwork(name, force, client.audit()));
    }

    public NetworkInfo info() {
        return client.networkInfo(name);
    }

    @Override
    public String toString() {
        return "network " + name + " (" + type + ")";
    }
}

package dev.netkeeper.kernel;

/** The network has no share of its host's firewall table any more (deleted, or gone from the host). */
public record FirewallRemove(String network) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        kernel.firewall().remove(network);
    }

    @Override
    public String describe() {
        return "firewall share of network " + network + " removed";
    }
}

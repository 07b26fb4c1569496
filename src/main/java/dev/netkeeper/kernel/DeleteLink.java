package dev.netkeeper.kernel;

/** No link named {@code name} in the host namespace (deleting a veth end removes its peer too). */
public record DeleteLink(String name) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        if (kernel.host().links().get(name).isPresent()) {
            kernel.host().links().delete(name);
        }
    }

    @Override
    public String describe() {
        return "delete link " + name;
    }
}

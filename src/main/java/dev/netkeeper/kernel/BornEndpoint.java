package dev.netkeeper.kernel;


/**
 * One endpoint's kernel work on the one-step path: the pair with its container end born in the namespace
 * ({@code veth}), then configured there ({@code place}). A pair made just now is known as it is (its name, MAC and
 * MTU set at creation, its namespace checked), so only what creation does not set is done: addresses, up, routes.
 * A pair that was there (a retry, a recovery) is checked and fixed step by step, as {@link PlaceInterface} does.
 */
public record BornEndpoint(EnsureVeth veth, PlaceInterface place) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        if (veth.ensure(kernel)) {
            place.configureNew(kernel);
        } else {
            place.run(kernel);
        }
    }

    @Override
    public String describe() {
        return veth.describe() + "; " + place.describe();
    }
}

package dev.netkeeper.firewall;

import com.sun.jna.Pointer;
import dev.netkeeper.netlink.NetNamespace;

import java.util.Optional;

/**
 * One libnftables context working in one network namespace (the agent's host). Commands are nft's own
 * language; a buffer is one transaction. No {@code nft} process: the library is called in-process.
 */
public final class Nft implements AutoCloseable {
    private final Pointer ctx;
    private final Optional<NetNamespace> namespace;

    private Nft(Pointer ctx, Optional<NetNamespace> namespace) {
        this.ctx = ctx;
        this.namespace = namespace;
    }

    /**
     * A context for {@code namespace} (empty: the calling thread's). Every call enters that namespace for its
     * duration, so the library's netlink socket, whenever it opens it, is bound there.
     */
    public static Nft open(Optional<NetNamespace> namespace) {
        Pointer ctx;
        try {
            ctx = inside(namespace, () -> Libnftables.nft_ctx_new(Libnftables.NFT_CTX_DEFAULT));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new NftException("libnftables is not installed (Debian package libnftables1): " + e.getMessage());
        }
        if (ctx == null) {
            throw new NftException("nft_ctx_new failed");
        }
        Libnftables.nft_ctx_buffer_output(ctx);
        Libnftables.nft_ctx_buffer_error(ctx);
        Libnftables.nft_ctx_output_set_flags(ctx, Libnftables.NFT_CTX_OUTPUT_STATELESS);
        return new Nft(ctx, namespace);
    }

    /** Runs {@code commands} as one transaction and returns what they printed; a refusal throws, naming why. */
    public synchronized String run(String commands) {
        return inside(namespace, () -> {
            int rc = Libnftables.nft_run_cmd_from_buffer(ctx, commands);
            String out = text(Libnftables.nft_ctx_get_output_buffer(ctx));
            String err = text(Libnftables.nft_ctx_get_error_buffer(ctx));
            if (rc != 0) {
                throw new NftException(err.isBlank() ? "nft failed (" + rc + ")" : firstLines(err));
            }
            return out;
        });
    }

    /** As {@link #run}, its output as nft's JSON (handles included): for reading what others have. */
    public synchronized String runJson(String commands) {
        Libnftables.nft_ctx_output_set_flags(ctx, Libnftables.NFT_CTX_OUTPUT_STATELESS | Libnftables.NFT_CTX_OUTPUT_JSON
                | Libnftables.NFT_CTX_OUTPUT_HANDLE);
        try {
            return run(commands);
        } finally {
            Libnftables.nft_ctx_output_set_flags(ctx, Libnftables.NFT_CTX_OUTPUT_STATELESS);
        }
    }

    private static <T> T inside(Optional<NetNamespace> ns, java.util.function.Supplier<T> work) {
        return ns.isPresent() ? ns.get().call(work::get) : work.get();
    }

    private static String text(Pointer p) {
        return p == null ? "" : p.getString(0);
    }

    /** nft repeats the offending command under each error: the first lines name it. */
    private static String firstLines(String err) {
        String[] lines = err.strip().split("\n");
        return String.join(" | ", java.util.Arrays.copyOf(lines, Math.min(lines.length, 3)));
    }

    @Override
    public synchronized void close() {
        Libnftables.nft_ctx_free(ctx);
    }
}

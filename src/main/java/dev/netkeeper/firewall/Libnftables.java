package dev.netkeeper.firewall;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * libnftables, the library behind {@code nft} (Debian {@code libnftables1}), bound with JNA direct mapping.
 * Signatures and flag values from {@code /usr/include/nftables/libnftables.h} (1.0.6). A context is not
 * thread-safe: {@link Nft} confines each one to the netlink actor's thread.
 */
final class Libnftables {
    static {
        Native.register("nftables");
    }

    private Libnftables() {}

    /** {@code NFT_CTX_DEFAULT}. */
    static final int NFT_CTX_DEFAULT = 0;
    /** {@code enum nft_output_flags}: counters and quotas left out of listings. */
    static final int NFT_CTX_OUTPUT_STATELESS = 1 << 2;
    static final int NFT_CTX_OUTPUT_HANDLE = 1 << 3;
    static final int NFT_CTX_OUTPUT_JSON = 1 << 4;

    static native Pointer nft_ctx_new(int flags);

    static native void nft_ctx_free(Pointer ctx);

    static native void nft_ctx_output_set_flags(Pointer ctx, int flags);

    static native int nft_ctx_buffer_output(Pointer ctx);

    static native Pointer nft_ctx_get_output_buffer(Pointer ctx);

    static native int nft_ctx_buffer_error(Pointer ctx);

    static native Pointer nft_ctx_get_error_buffer(Pointer ctx);

    /** Runs every command of {@code buf} as one netlink batch: one kernel transaction, all or nothing. */
    static native int nft_run_cmd_from_buffer(Pointer ctx, String buf);
}

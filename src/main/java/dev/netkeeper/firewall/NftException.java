package dev.netkeeper.firewall;

/** libnftables refused a command (or is missing); the message is nft's own diagnosis. */
public final class NftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NftException(String message) {
        super(message);
    }
}

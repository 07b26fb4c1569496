package dev.netkeeper.cni;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One execution of the plugin as the runtime made it: the CNI environment and the network configuration it
 * wrote to stdin. The shim sends the variables as the request's headers ({@link #HEADERS}), and a DEL it spools
 * is the same headers in a file; both are read here, by name.
 */
public record CniCall(String command, String containerId, String netns, String ifname, String args, String path,
                      byte[] config) {
    public static final String COMMAND = "CNI-Command";
    public static final String CONTAINER_ID = "CNI-ContainerID";
    public static final String NETNS = "CNI-Netns";
    public static final String IFNAME = "CNI-Ifname";
    public static final String ARGS = "CNI-Args";
    public static final String PATH = "CNI-Path";
    /** The headers the shim sends, one per CNI_ variable (CNI_COMMAND → CNI-Command ...). */
    public static final List<String> HEADERS = List.of(COMMAND, CONTAINER_ID, NETNS, IFNAME, ARGS, PATH);

    public CniCall {
        config = config == null ? new byte[0] : config.clone();
    }

    /** The call whose variables {@code header} names (null: not set) and whose stdin was {@code config}. */
    public static CniCall of(UnaryOperator<String> header, byte[] config) {
        return new CniCall(header.apply(COMMAND), header.apply(CONTAINER_ID), header.apply(NETNS),
                header.apply(IFNAME), header.apply(ARGS), header.apply(PATH), config);
    }

    @Override
    public byte[] config() {
        return config.clone();
    }

    /** The variable the spec requires for this command (CNI SPEC "Parameters"), or error 4 naming it. */
    static String require(String value, String variable) {
        if (value == null || value.isEmpty()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, variable + " is not set");
        }
        return value;
    }

    /** The attachment the call is about: CNI_CONTAINERID and CNI_IFNAME, both required. */
    Attachment attachment() {
        return new Attachment(require(containerId, "CNI_CONTAINERID"), require(ifname, "CNI_IFNAME"));
    }

    String configText() {
        return new String(config, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CNI " + command + " " + containerId + " " + ifname + " " + netns;
    }
}

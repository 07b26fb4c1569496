package dev.netkeeper.cni;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One CNI attachment, the spec's key (container id, interface name), and the netkeeper endpoint that is it:
 * {@code cni:CONTAINERID:IFNAME}. Parsed once here, both ways. A container id is letters, digits, '_', '.', '-'
 * (CNI SPEC "Parameters"); an interface name cannot hold ':' (the kernel's dev_valid_name), so the name parses back.
 * The interface name must end in a digit: netkeeper takes such a name as it is (another is a prefix).
 */
public record Attachment(String containerId, String ifname) {
    private static final String PREFIX = "cni:";
    private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,13}[0-9]");
    private static final Pattern ENDPOINT = Pattern.compile("cni:([^:]+):([^:]+)");

    public Attachment {
        if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_CONTAINERID '" + containerId
                    + "' must be 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        if (ifname == null || !IFNAME.matcher(ifname).matches()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME '" + ifname
                    + "' must be 2-15 letters, digits, '_', '.' or '-', starting with a letter and ending in a digit");
        }
    }

    /** The netkeeper endpoint name of this attachment. */
    public String endpointName() {
        return PREFIX + containerId + ":" + ifname;
    }

    /** The attachment an endpoint of a network is, if it is one (an endpoint linked otherwise is not). */
    public static Optional<Attachment> ofEndpoint(String endpointName) {
        Matcher m = ENDPOINT.matcher(endpointName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Attachment(m.group(1), m.group(2)));
        } catch (CniError e) {
            return Optional.empty();
        }
    }
}

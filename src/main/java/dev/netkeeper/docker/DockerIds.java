package dev.netkeeper.docker;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;

import java.util.regex.Pattern;

/**
 * dockerd's ids and what netkeeper names after them. dockerd never tells a remote driver the network's name (only
 * its id): a network is {@code docker-} and the first 12 characters of the id, the short id {@code docker network ls}
 * shows; an endpoint is {@code docker:} and the whole endpoint id.
 */
record DockerIds(String networkId, String endpointId) {
    private static final Pattern ID = Pattern.compile("[0-9a-zA-Z]{12,64}");
    static final String NETWORK_PREFIX = "docker-";
    static final String ENDPOINT_PREFIX = "docker:";

    DockerIds {
        check(networkId, "NetworkID");
        if (endpointId != null) {
            check(endpointId, "EndpointID");
        }
    }

    static DockerIds network(String networkId) {
        return new DockerIds(networkId, null);
    }

    String networkName() {
        return NETWORK_PREFIX + networkId.substring(0, 12).toLowerCase(java.util.Locale.ROOT);
    }

    String endpointName() {
        return ENDPOINT_PREFIX + endpointId.toLowerCase(java.util.Locale.ROOT);
    }

    String shortEndpoint() {
        return endpointId == null ? "" : endpointId.substring(0, 12);
    }

    private static void check(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, what + " '" + id + "' is not a Docker id "
                    + "(12 to 64 letters and digits)");
        }
    }
}

package dev.netkeeper.cni;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CNI_ARGS ("IgnoreUnknown=1;IP=10.1.0.7;MAC=02:..."), parsed once: Podman 4 passes {@code --ip} and
 * {@code --mac-address} here (as host-local and the bridge plugin read them), besides the capability arguments.
 */
public record CniArgs(Map<String, String> values) {
    public static final CniArgs NONE = new CniArgs(Map.of());

    public CniArgs {
        values = Map.copyOf(values);
    }

    public static CniArgs parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : text.split(";")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_ARGS '" + text + "' holds '" + pair
                        + "', which is no KEY=VALUE pair");
            }
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new CniArgs(values);
    }

    /** A value, or null. */
    public String get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }
}

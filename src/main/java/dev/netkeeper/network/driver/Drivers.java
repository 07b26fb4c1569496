package dev.netkeeper.network.driver;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** The installed drivers, by type name and alias, found with ServiceLoader. */
public final class Drivers {
    private final Map<String, NetworkDriver> byName;

    private Drivers(Map<String, NetworkDriver> byName) {
        this.byName = Map.copyOf(byName);
    }

    public static Drivers load() {
        return of(ServiceLoader.load(NetworkDriver.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public static Drivers of(List<NetworkDriver> drivers) {
        Map<String, NetworkDriver> map = new HashMap<>();
        for (NetworkDriver d : drivers) {
            map.put(d.type(), d);
            d.aliases().forEach(a -> map.put(a, d));
        }
        return new Drivers(map);
    }

    /** The driver for a type or alias, or UNKNOWN_DRIVER listing what is installed. */
    public NetworkDriver find(String type) {
        NetworkDriver d = type == null ? null : byName.get(type);
        if (d == null) {
            throw new NetkeeperException(ErrorCode.UNKNOWN_DRIVER, "no network driver '" + type
                    + "'; installed: " + String.join(", ", new TreeSet<>(byName.keySet())));
        }
        return d;
    }
}

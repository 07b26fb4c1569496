package dev.netkeeper.api;

import java.util.regex.Pattern;

/**
 * What a name the resolvers answer is: a DNS host name (RFC 1123: labels of letters, digits and inner hyphens, at most
 * 63 characters each, at most 253 in all), with '_' allowed too, as in Docker's and Podman's container names
 * ("sharp_tesla"), which their resolvers answer. Endpoint names that are such names, and link aliases.
 */
public final class HostNames {
    private static final Pattern HOST_NAME =
            Pattern.compile("(?i)(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

    private HostNames() {}

    public static boolean valid(String name) {
        return name != null && HOST_NAME.matcher(name).matches();
    }
}

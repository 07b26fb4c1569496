package dev.netkeeper.netlink;

import java.nio.charset.StandardCharsets;

/**
 * The kernel's rule for interface names (dev_valid_name in net/core/dev.c): 1..15 bytes
 * (IFNAMSIZ is 16 with the NUL), not "." or "..", no '/', ':' or whitespace.
 */
public final class LinkName {
    public static final int MAX_BYTES = 15;

    private LinkName() {}

    /** Returns the name, or throws {@link InvalidNameException} saying what is wrong with it. */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidNameException("link name is empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new InvalidNameException("link name '" + name + "' is " + bytes
                    + " bytes long; the kernel allows at most " + MAX_BYTES);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidNameException("link name '" + name + "' is reserved");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
                String what = c == '/' || c == ':' ? "'" + c + "'" : c == 0 ? "a NUL byte" : "whitespace";
                throw new InvalidNameException("link name '" + name + "' contains " + what);
            }
        }
        return name;
    }
}

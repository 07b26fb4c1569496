package dev.netkeeper.netlink;

import java.nio.charset.StandardCharsets;

/**
 * The kernel's rule for interface names (dev_valid_name in net/core/dev.c): 1..15 bytes
 * (IFNAMSIZ is 16 with the NUL), not "." or "..", no '/', ':' or whitespace; and no '%', which the
 * kernel would expand as a template (dev_get_valid_name / __dev_alloc_name: "br%d" becomes "br0"), so
 * that the link made would not be the one asked for.
 */
public final class LinkName {
    public static final int MAX_BYTES = 15;

    private LinkName() {}

    /** Returns the name, or throws {@link InvalidNameException} saying what is wrong with it. */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidNameException("link name is empty");
        }
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_BYTES) {
            throw new InvalidNameException("link name '" + name + "' is " + utf8.length
                    + " bytes long; the kernel allows at most " + MAX_BYTES);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidNameException("link name '" + name + "' is reserved");
        }
        // The kernel checks bytes, not characters: '/', ':', NUL and its isspace() set, which
        // (lib/ctype.c) holds \t \n \v \f \r, ' ' and 0xA0 (so UTF-8 such as "à" = c3 a0 is refused too).
        for (byte b : utf8) {
            int c = b & 0xff;
            if (c == '/' || c == ':' || c == '%') {
                throw new InvalidNameException("link name '" + name + "' contains '" + (char) c + "'");
            }
            if (c == 0) {
                throw new InvalidNameException("link name '" + name + "' contains a NUL byte");
            }
            if (c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0xa0) {
                throw new InvalidNameException("link name '" + name + "' contains whitespace"
                        + (c == 0xa0 ? " (byte 0xa0, which the kernel counts as a space)" : ""));
            }
        }
        return name;
    }
}

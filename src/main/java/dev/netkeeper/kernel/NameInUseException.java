package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Link;

/** A link of the wanted name exists and is not the one this task owns: reported as NAME_IN_USE. */
public final class NameInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NameInUseException(Link existing, String wantedFor) {
        super("link " + existing.name() + " exists and is not " + wantedFor + ": it is " + LinkMark.whatIs(existing)
                + "; netkeeper does not adopt, change or delete links it did not make");
    }
}

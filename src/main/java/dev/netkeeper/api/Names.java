package dev.netkeeper.api;

import java.util.List;

/** Network names, or namespace ids ("host:path"), sorted. */
public record Names(List<String> names) implements Reply {
    public Names {
        names = names == null ? List.of() : List.copyOf(names);
    }
}

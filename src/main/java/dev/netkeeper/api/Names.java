package dev.netkeeper.api;

import java.util.List;

/**
 * Network names, or namespace ids ("host:path"), sorted; one page of them: {@code next}, when not null, is
 * the last name of this page, where the next one starts.
 */
public record Names(List<String> names, String next) implements Reply {
    public Names {
        names = names == null ? List.of() : List.copyOf(names);
    }

    public Names(List<String> names) {
        this(names, null);
    }

    /** The page of {@code sorted} after {@code after} (null: from the start), at most {@code limit} long. */
    public static Names page(List<String> sorted, String after, int limit) {
        List<String> rest = after == null ? sorted : sorted.stream().filter(n -> n.compareTo(after) > 0).toList();
        if (rest.size() <= limit) {
            return new Names(rest, null);
        }
        List<String> page = rest.subList(0, limit);
        return new Names(page, page.get(limit - 1));
    }
}

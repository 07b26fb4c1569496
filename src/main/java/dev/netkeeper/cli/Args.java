package dev.netkeeper.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed command line: positional words, and {@code --name value} / {@code --name=value} options and
 * {@code --flag}s, which may appear anywhere. Which options take a value is fixed ({@link #VALUED});
 * each command then says which ones it accepts ({@link #allow}). {@code --} ends the options.
 */
final class Args {
    /** Options that take a value (the next word, even when it starts with '-', as in "--since -5m"). */
    static final Set<String> VALUED = Set.of("--agent", "--tls", "--data-dir", "--socket", "--host", "--principal", "--config", "--driver", "--subnet",
            "--ipv6-subnet", "--gateway", "--ip-range", "--mtu", "--opt", "--ns", "--dst", "--publish", "--network", "--namespace",
            "--since", "--until", "--state-at", "--out", "--ca", "--ip", "--ip6", "--mac", "--alias");
    static final Set<String> FLAGS = Set.of("--json", "--internal", "--force", "--follow", "--help", "--host-route-overlap",
            "--disable-dns");
    /** Accepted by every command. */
    static final Set<String> GLOBAL = Set.of("--agent", "--tls", "--socket", "--principal", "--config", "--json", "--help");

    private final List<String> positional;
    private final Map<String, List<String>> options;

    private Args(List<String> positional, Map<String, List<String>> options) {
        this.positional = positional;
        this.options = options;
    }

    static Args parse(List<String> words) {
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        boolean onlyPositional = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (onlyPositional || !w.startsWith("-") || w.equals("-")) {
                positional.add(w);
            } else if (w.equals("--")) {
                onlyPositional = true;
            } else if (w.equals("-h")) {
                options.computeIfAbsent("--help", k -> new ArrayList<>()).add("");
            } else {
                int eq = w.indexOf('=');
                String name = eq > 0 ? w.substring(0, eq) : w;
                if (VALUED.contains(name)) {
                    String value;
                    if (eq > 0) {
                        value = w.substring(eq + 1);
                    } else if (i + 1 < words.size()) {
                        value = words.get(++i);
                    } else {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else if (FLAGS.contains(name) && eq < 0) {
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add("");
                } else {
                    throw new UsageException("unknown option '" + w + "'");
                }
            }
        }
        return new Args(List.copyOf(positional), options);
    }

    /** Fails with a usage error if an option outside {@link #GLOBAL} and {@code accepted} was given. */
    Args allow(String command, String... accepted) {
        Set<String> ok = Set.of(accepted);
        for (String name : options.keySet()) {
            if (!GLOBAL.contains(name) && !ok.contains(name)) {
                throw new UsageException(command + ": option " + name + " does not apply");
            }
        }
        return this;
    }

    List<String> positional() {
        return positional;
    }

    /** The positional words after the first {@code skip} (the command words), exactly {@code names.length}. */
    List<String> operands(String command, int skip, String... names) {
        List<String> rest = positional.subList(Math.min(skip, positional.size()), positional.size());
        if (rest.size() != names.length) {
            throw new UsageException(names.length == 0
                    ? command + ": unexpected argument '" + rest.get(0) + "'"
                    : "usage: netkeeper " + command + " " + String.join(" ", names));
        }
        return rest;
    }

    /** The positional words after the first {@code skip}: {@code names} first, then one or more of {@code more}. */
    List<String> operandsAndMore(String command, int skip, String more, String... names) {
        List<String> rest = positional.subList(Math.min(skip, positional.size()), positional.size());
        if (rest.size() <= names.length) {
            throw new UsageException("usage: netkeeper " + command + " " + String.join(" ", names) + " " + more + "...");
        }
        return rest;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** The option's value; given twice is a usage error (use {@link #all} for repeatable ones). */
    Optional<String> value(String name) {
        List<String> values = options.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new UsageException("option " + name + " given more than once");
        }
        return values.stream().findFirst();
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    Optional<Integer> intValue(String name) {
        return value(name).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new UsageException("option " + name + " needs a number, not '" + v + "'");
            }
        });
    }
}

package dev.netkeeper.cli;

import dev.netkeeper.client.NetkeeperClient;

/** One run of a command: its arguments, where its results go, and the (lazy) connection to the agent. */
record Invocation(Args args, Output output, Session session) {
    /**
     * A path setting as the agent of this machine would read it by default: -D properties, then the jar's
     * application.conf with its environment variables (e.g. NETKEEPER_TLS_DIR, NETKEEPER_DATA_DIR).
     */
    static java.nio.file.Path defaultPath(String key) {
        return java.nio.file.Path.of(com.typesafe.config.ConfigFactory.systemProperties()
                .withFallback(com.typesafe.config.ConfigFactory.parseResources("application.conf")).resolve().getString(key));
    }

    NetkeeperClient client() {
        return session.client();
    }

    /** The sub-command word at {@code index} ("create" in "network create x"), or a usage error. */
    String word(int index, String usage) {
        if (args.positional().size() <= index) {
            throw new UsageException("usage: " + usage);
        }
        return args.positional().get(index);
    }
}

package dev.netkeeper.cli;

import dev.netkeeper.client.NetkeeperClient;

/** One run of a command: its arguments, where its results go, and the (lazy) connection to the agent. */
record Invocation(Args args, Output output, Session session) {
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

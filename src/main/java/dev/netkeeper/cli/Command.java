package dev.netkeeper.cli;

/** A command group of the CLI ("network", "ns", ...): runs one invocation, answers the exit code. */
@FunctionalInterface
interface Command {
    int run(Invocation invocation);
}

package dev.netkeeper.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in this JVM ({@link Main#run}) against one agent, capturing stdout, stderr and the exit code. */
final class CliRunner {
    /** How every command line reaches the agent: {@code --socket PATH} or {@code --agent HOST:PORT}. */
    private final List<String> connection;

    private CliRunner(List<String> connection) {
        this.connection = List.copyOf(connection);
    }

    /** Through the agent's local API (the CLI's default way, named explicitly since the test's socket is its own). */
    static CliRunner overSocket(java.nio.file.Path socket) {
        return new CliRunner(List.of("--socket", socket.toString()));
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    List<String> agentArgs() {
        return connection;
    }

    /** The command line with the connection's options appended. */
    Result run(String... words) {
        List<String> args = new ArrayList<>(List.of(words));
        args.addAll(connection);
        return runRaw(args);
    }

    static Result runRaw(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

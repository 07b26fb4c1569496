package dev.netkeeper.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in this JVM ({@link Main#run}) against one agent, capturing stdout, stderr and the exit code. */
final class CliRunner {
    private final String agent;

    CliRunner(String agent) {
        this.agent = agent;
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    List<String> agentArgs() {
        return List.of("--agent", agent);
    }

    /** The command line with {@code --agent HOST:PORT} appended. */
    Result run(String... words) {
        List<String> args = new ArrayList<>(List.of(words));
        args.add("--agent");
        args.add(agent);
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

package dev.netkeeper.cli;

import dev.netkeeper.journal.H2Journal;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code netkeeper journal migrate-h2 [--data-dir DIR]}: moves the H2 journal of an earlier version into the
 * durable SQLite journal, with the agent stopped (default DIR: the configuration's {@code netkeeper.data-dir}).
 */
final class JournalCommand implements Command {
    @Override
    public int run(Invocation inv) {
        Args args = inv.args().allow("journal", "--data-dir");
        List<String> words = args.operands("journal", 1, "migrate-h2");
        if (!words.get(0).equals("migrate-h2")) {
            throw new UsageException("usage: netkeeper journal migrate-h2 [--data-dir DIR]");
        }
        Path dir = args.value("--data-dir").map(Path::of).orElseGet(() -> Invocation.defaultPath("netkeeper.data-dir"));
        H2Journal.Moved moved = H2Journal.migrate(dir);
        inv.output().stream().println("migrated the H2 journal in " + dir + " to " + dir.resolve("journal.db") + ": "
                + moved.events() + " events, " + moved.tags() + " tags, " + moved.snapshots() + " snapshots (the H2 file"
                + " is kept as journal.mv.db.migrated)");
        return 0;
    }
}

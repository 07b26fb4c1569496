package dev.netkeeper.cli;

/** A command line that does not make sense: exit code 2, one line on stderr. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}

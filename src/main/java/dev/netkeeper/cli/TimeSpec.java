package dev.netkeeper.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TIME on the command line, as epoch milliseconds: an ISO-8601 instant ("2026-11-27T10:00:00Z", or
 * with an offset "+01:00"), epoch milliseconds ("1795773600000"), "now", or relative to now ("-30s",
 * "-5m", "-1h", "-2d", "-500ms").
 */
final class TimeSpec {
    private static final Pattern RELATIVE = Pattern.compile("-(\\d+)(ms|s|m|h|d)");

    private TimeSpec() {}

    static long parse(String option, String text, long nowMillis) {
        String t = text.strip();
        if (t.equals("now")) {
            return nowMillis;
        }
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return nowMillis - d.toMillis();
        }
        if (t.matches("\\d{1,18}")) {
            return Long.parseLong(t);
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new UsageException(option + " wants an ISO-8601 instant (2026-11-27T10:00:00Z), epoch"
                        + " milliseconds or a relative time (-5m, -1h), not '" + text + "'");
            }
        }
    }
}

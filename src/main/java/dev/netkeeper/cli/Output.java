package dev.netkeeper.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Where a command's result goes: an aligned table (or a few lines) for people, or JSON for scripts
 * ({@code --json}). The JSON mapper is made only when JSON is asked for.
 */
final class Output {
    private final PrintStream out;
    private final boolean json;
    private ObjectMapper mapper;

    Output(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    PrintStream stream() {
        return out;
    }

    /** {@code value} as indented JSON, or what {@code human} prints (tables, lines). */
    void show(Object value, Consumer<PrintStream> human) {
        if (json) {
            out.println(toJson(value, true));
        } else {
            human.accept(out);
        }
        out.flush();
    }

    /** One compact JSON document on one line (a stream of records, as {@code audit --follow} prints). */
    void jsonLine(Object value) {
        out.println(toJson(value, false));
        out.flush();
    }

    private String toJson(Object value, boolean indent) {
        if (mapper == null) {
            mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        }
        try {
            return indent ? mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value)
                    : mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}

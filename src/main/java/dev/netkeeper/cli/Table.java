package dev.netkeeper.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Columns aligned with two spaces between them, a header row first; null cells print as "-". */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private final boolean header;

    private Table(int columns, String[] header) {
        this.columns = columns;
        this.header = header != null;
        if (header != null) {
            rows.add(header);
        }
    }

    static Table of(String... header) {
        return new Table(header.length, header);
    }

    /** "key:  value" lines, aligned, without a header. */
    static Table fields() {
        return new Table(2, null);
    }

    /** A key-value row of {@link #fields()}. */
    Table field(String key, Object value) {
        return row(key + ":", value);
    }

    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns);
        }
        rows.add(Arrays.stream(cells).map(Table::cell).toArray(String[]::new));
        return this;
    }

    void print(PrintStream out) {
        print(out, new int[columns], true);
    }

    /**
     * The rows without the header, each column at least {@code minWidths} wide: more rows under a table
     * printed before (a stream such as {@code audit --follow}). Answers the widths used.
     */
    int[] printMore(PrintStream out, int[] minWidths) {
        return print(out, minWidths, false);
    }

    /** The column widths of {@link #print}. */
    int[] widths() {
        return widths(new int[columns]);
    }

    private int[] print(PrintStream out, int[] minWidths, boolean withHeader) {
        int[] width = widths(minWidths);
        StringBuilder sb = new StringBuilder();
        for (int i = withHeader || !header ? 0 : 1; i < rows.size(); i++) {
            String[] r = rows.get(i);
            sb.setLength(0);
            for (int c = 0; c < columns; c++) {
                sb.append(r[c]);
                if (c < columns - 1) {
                    sb.append(" ".repeat(width[c] - r[c].length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        return width;
    }

    private int[] widths(int[] minWidths) {
        int[] width = minWidths.clone();
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        return width;
    }

    private static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        String s = value.toString().replace('\n', ' ');
        return s.isEmpty() ? "-" : s;
    }
}

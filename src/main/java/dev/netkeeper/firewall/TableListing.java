package dev.netkeeper.firewall;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code list table inet netkeeper} printed, read for the tamper check without listing after every change:
 * its skeleton (comment, set declarations, chains and rules, with the elements taken out), which no element change
 * alters, and how many elements each set holds.
 */
record TableListing(String skeleton, Map<String, Integer> counts) {
    private static final Pattern SET = Pattern.compile("\\b(?:set|map) (\\w+) \\{");
    private static final Pattern ELEMENTS = Pattern.compile("elements = \\{([^}]*)\\}");

    static TableListing of(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher set = SET.matcher(text);
        while (set.find()) {
            int end = text.indexOf("\n\t}", set.end());
            String body = text.substring(set.end(), end < 0 ? text.length() : end);
            Matcher e = ELEMENTS.matcher(body);
            counts.put(set.group(1), e.find() ? e.group(1).split(",").length : 0);
        }
        // a set's elements line comes and goes with its first and last element: out of the skeleton altogether
        String skeleton = text.replaceAll("\\s*elements = \\{[^}]*\\}", "");
        return new TableListing(skeleton, Map.copyOf(counts));
    }
}

package dev.netkeeper.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Other owners' base chains that would swallow netkeeper's forwarded traffic. In nftables an accept in our table
 * does not override a drop in another table's base chain: a forward chain whose policy is drop (dockerd sets
 * iptables' FORWARD policy to DROP when it enables forwarding) drops what netkeeper's table lets through. Read from
 * nft's JSON listing of the chains; nothing of theirs is changed here.
 */
final class ForeignChains {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The comment that marks the one rule pair netkeeper may add to such a chain (opt-in), and finds it by. */
    static final String MARK = "netkeeper: lets netkeeper's bridges through (netkeeper.firewall.accept-in-foreign-forward)";

    private ForeignChains() {}

    /** A base chain of another table on the forward hook, with policy drop. */
    record Drop(String family, String table, String chain) {
        String qualified() {
            return family + " " + table + " " + chain;
        }

        /** The rules that let netkeeper's bridges (names "nk...") through it, as an operator would add them. */
        List<String> acceptRules() {
            return List.of("insert rule " + qualified() + " iifname \"nk*\" accept comment \"" + MARK + "\"",
                    "insert rule " + qualified() + " oifname \"nk*\" accept comment \"" + MARK + "\"");
        }

        String report() {
            return "chain " + qualified() + " (policy drop, hook forward) drops what netkeeper forwards; let it through with: nft '"
                    + String.join("; ", acceptRules()) + "' (or set netkeeper.firewall.accept-in-foreign-forward = true)";
        }
    }

    /** The forward-hook base chains with policy drop outside netkeeper's table, from {@code list chains} as JSON. */
    static List<Drop> in(String chainsJson) {
        List<Drop> out = new ArrayList<>();
        for (JsonNode item : tree(chainsJson).path("nftables")) {
            JsonNode c = item.path("chain");
            if (c.isMissingNode() || !"forward".equals(c.path("hook").asText()) || !"drop".equals(c.path("policy").asText())) {
                continue;
            }
            String family = c.path("family").asText();
            String table = c.path("table").asText();
            if ((family + " " + table).equals(RuleSet.QUALIFIED) || !(family.equals("ip") || family.equals("ip6")
                    || family.equals("inet"))) {
                continue;
            }
            out.add(new Drop(family, table, c.path("name").asText()));
        }
        return out;
    }

    /** The handles of netkeeper's own rules in a chain's JSON listing (found by their comment). */
    static List<Long> ourRules(String chainJson) {
        List<Long> out = new ArrayList<>();
        for (JsonNode item : tree(chainJson).path("nftables")) {
            JsonNode r = item.path("rule");
            if (!r.isMissingNode() && MARK.equals(r.path("comment").asText())) {
                out.add(r.path("handle").asLong());
            }
        }
        return out;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json.isBlank() ? "{}" : json);
        } catch (IOException e) {
            throw new NftException("unreadable nft JSON listing: " + e.getMessage());
        }
    }
}

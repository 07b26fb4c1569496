package dev.netkeeper.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What an event changed, as compact JSON: the event record without its "audit" property, nulls left out. */
public final class ChangeJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private ChangeJson() {}

    public static String of(Object event) {
        try {
            JsonNode tree = MAPPER.valueToTree(event);
            if (tree instanceof ObjectNode object) {
                object.remove("audit");
            }
            return MAPPER.writeValueAsString(tree);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            // never fail an audit query over one event: say what it was
            return "{\"unrenderable\":" + quote(String.valueOf(event)) + "}";
        }
    }

    private static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            return "\"?\"";
        }
    }
}

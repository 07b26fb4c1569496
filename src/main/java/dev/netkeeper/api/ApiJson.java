package dev.netkeeper.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The public protocol as plain JSON, for the doors that speak HTTP (the local API, and the clients of its
 * socket): the same records and type names as on Artery ("@request", "@type"), no class names. A field that
 * a message does not have is refused, so a misspelt option never passes silently.
 */
public final class ApiJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private ApiJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

package dev.netkeeper.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ApiJson;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * One HTTP request as a route sees it: its path parameters, query parameters and JSON body, and the audit
 * that a change it asks for is journaled with (the socket's caller as the origin; the request id from the
 * {@code Netkeeper-Request-Id} header, so that a retry is answered, not applied twice).
 */
final class Exchange {
    static final String REQUEST_ID = "Netkeeper-Request-Id";
    static final String PRINCIPAL = "Netkeeper-Principal";

    private final Request request;
    private final Caller caller;
    private final Map<String, String> pathParameters;
    private Fields query;
    private JsonNode body;

    Exchange(Request request, Caller caller, Map<String, String> pathParameters) {
        this.request = request;
        this.caller = caller;
        this.pathParameters = pathParameters;
    }

    Caller caller() {
        return caller;
    }

    String path(String name) {
        return pathParameters.get(name);
    }

    /** A query parameter, or null. */
    String query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        }
        return query.getValue(name);
    }

    /** A query parameter that must be there. */
    String requiredQuery(String name) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "query parameter '" + name + "' is missing");
        }
        return v;
    }

    int queryInt(String name) {
        String v = query(name);
        try {
            return v == null || v.isEmpty() ? 0 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "query parameter '" + name + "' is not a number: " + v);
        }
    }

    Long queryLong(String name) {
        String v = query(name);
        try {
            return v == null || v.isEmpty() ? null : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "query parameter '" + name + "' is not a number: " + v);
        }
    }

    boolean queryFlag(String name) {
        String v = query(name);
        return v != null && (v.isEmpty() || v.equals("true") || v.equals("1"));
    }

    /** A request header, or null. */
    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The body as it came (read once: not together with {@link #body()}). */
    byte[] rawBody() {
        try {
            String text = Content.Source.asString(request, StandardCharsets.UTF_8);
            return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "the body could not be read: " + e.getMessage());
        }
    }

    /** The body as JSON (an empty body is an empty object). */
    JsonNode body() {
        if (body == null) {
            try {
                String text = Content.Source.asString(request, StandardCharsets.UTF_8);
                body = ApiJson.mapper().readTree(text == null || text.isBlank() ? "{}" : text);
            } catch (JsonProcessingException e) {
                throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "the body is not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "the body could not be read: " + e.getMessage());
            }
        }
        return body;
    }

    /** The body as {@code type} (a record of the public protocol), refused as INVALID_REQUEST when it is not one. */
    <T> T body(Class<T> type) {
        try {
            return ApiJson.mapper().treeToValue(body(), type);
        } catch (JsonProcessingException e) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "the body is no " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
    }

    /** A string field of the body, or null. */
    String field(String name) {
        JsonNode v = body().get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The audit of a change asked for here: the header's request id (else a fresh one), the caller as origin. */
    Audit audit() {
        return audit(null);
    }

    /** As {@link #audit()}, keeping {@code requestId} when the request carried its own. */
    Audit audit(String requestId) {
        String id = request.getHeaders().get(REQUEST_ID);
        if (id == null || id.isBlank()) {
            id = requestId != null && !requestId.isBlank() ? requestId : UUID.randomUUID().toString();
        }
        return Audit.now(id.strip(), caller.origin(request.getHeaders().get(PRINCIPAL)));
    }
}

package dev.netkeeper.http;

import dev.netkeeper.api.NetkeeperException;

import java.util.Map;

/** What a route answers: an HTTP status and a body written as JSON (or text, for {@code /metrics}). */
record Answer(int status, Object body, String contentType) {
    static final String JSON = "application/json";

    static Answer ok(Object body) {
        return new Answer(200, body, JSON);
    }

    static Answer created(Object body) {
        return new Answer(201, body, JSON);
    }

    /** A refusal: the status its error code's kind maps to, and {@code {"code": ..., "message": ...}}. */
    static Answer error(NetkeeperException e) {
        return new Answer(e.code().kind().httpStatus(), Map.of("code", e.code().name(), "message", e.getMessage()), JSON);
    }
}

package dev.netkeeper.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One line of the route table: a method, a path template ("/v1/networks/{name}") and what answers it.
 * Templates are split into segments once; a "{x}" segment takes any one (decoded) segment of a path.
 */
record Route(String method, String template, List<String> segments, Action action) {
    interface Action {
        CompletionStage<Answer> answer(Exchange exchange);
    }

    static Route of(String method, String template, Action action) {
        return new Route(method, template, split(template), action);
    }

    /** The path parameters when {@code path} fits this route's template. */
    Optional<Map<String, String>> match(List<String> path) {
        if (path.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.startsWith("{") && s.endsWith("}")) {
                params.put(s.substring(1, s.length() - 1), path.get(i));
            } else if (!s.equals(path.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    static List<String> split(String path) {
        return List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    }
}

package org.cagate.server.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the WHERE clause of a list query from the filters a request actually gave, so no query
 * carries {@code :x IS NULL OR ...} (which PostgreSQL cannot type and no index serves).
 */
public final class Sql {

    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    public Sql where(String condition, String name, Object value) {
        conditions.add(condition);
        params.put(name, value);
        return this;
    }

    /** Adds the condition only when the value is present (not null, not blank). */
    public Sql whereIfPresent(String condition, String name, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            return this;
        }
        return where(condition, name, value instanceof String s ? s.trim() : value);
    }

    public String clause() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    public Map<String, Object> params() {
        return params;
    }

    /** A LIKE pattern matching {@code text} anywhere, with LIKE's wildcards escaped (use ESCAPE '\'). */
    public static String contains(String text) {
        return text == null ? null : "%" + escape(text.trim()) + "%";
    }

    /** A LIKE pattern matching values that start with {@code text} (use ESCAPE '\'). */
    public static String startsWith(String text) {
        return text == null ? null : escape(text.trim()) + "%";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}

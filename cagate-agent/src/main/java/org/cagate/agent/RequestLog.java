package org.cagate.agent;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per request for the help desk: what was asked, by which site, for which provider and key,
 * the outcome and how long it took. It has no field for the PIN, and request bodies are never logged.
 *
 * <pre>POST /v1/sign origin=https://zcy.example.gov.cn provider=ZJHX token=330400007180230SE CMS LOGIN SHA256withECDSA -> 200 OK 41 ms</pre>
 */
final class RequestLog {
    static final Logger LOG = Logger.getLogger("org.cagate.agent.requests");

    final String method;
    final String path;
    String origin;
    String provider;
    String token;
    String detail;

    RequestLog(String method, String path) {
        this.method = method;
        this.path = path;
    }

    void write(int status, String outcome, long nanos) {
        StringBuilder line = new StringBuilder(method).append(' ').append(abbreviate(path));
        append(line, "origin", origin);
        append(line, "provider", provider);
        append(line, "token", token);
        if (detail != null) {
            line.append(' ').append(detail);
        }
        line.append(" -> ").append(status).append(' ').append(outcome);
        line.append(' ').append(nanos / 1_000_000).append(" ms");
        LOG.log(status >= 500 ? Level.WARNING : Level.INFO, line.toString());
    }

    private static void append(StringBuilder line, String name, String value) {
        if (value != null) {
            line.append(' ').append(name).append('=').append(abbreviate(value));
        }
    }

    /** Client-sent text in the log is cut short and stripped of line breaks, so it cannot forge lines. */
    static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        String clean = value.replaceAll("[\\r\\n\\t]", "_");
        return clean.length() <= 80 ? clean : clean.substring(0, 80) + "...";
    }
}

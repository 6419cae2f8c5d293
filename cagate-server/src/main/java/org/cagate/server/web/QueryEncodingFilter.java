package org.cagate.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a query string that is not percent-encoded UTF-8 (a {@code %} without two hex digits, or
 * escapes that do not decode as UTF-8, e.g. {@code ?name=%ff}) with 400 VALIDATION, before anything
 * reads a parameter. Tomcat decodes the query lazily, on the first {@code getParameter}, and then throws
 * an {@code InvalidParameterException} from wherever that call happens to be (a Spring Security filter,
 * a controller's argument resolver), which would surface as a 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6) // after BrowserHardeningFilter (its headers on this answer too)
class QueryEncodingFilter extends OncePerRequestFilter {

    private final Problems problems;

    QueryEncodingFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query == null || wellFormed(query)) {
            chain.doFilter(request, response);
            return;
        }
        ApiException e = ApiException.detail(ProblemCode.VALIDATION, "problem.VALIDATION.encoding");
        if (ErrorPages.isPage(request)) {
            request.setAttribute(ErrorPages.PROBLEM_ATTRIBUTE, problems.problem(request, e));
            response.sendError(e.code().status().value());
        } else {
            problems.write(request, response, e);
        }
    }

    /** Whether every {@code %} starts a two-hex-digit escape and the decoded bytes are UTF-8. */
    static boolean wellFormed(String query) {
        byte[] bytes = new byte[query.length()];
        int n = 0;
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%') {
                if (i + 2 >= query.length()) {
                    return false;
                }
                int high = Character.digit(query.charAt(i + 1), 16);
                int low = Character.digit(query.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return false;
                }
                bytes[n++] = (byte) (high * 16 + low);
                i += 2;
            } else if (c > 0x7f) {
                return false; // Tomcat hands the raw query on as ISO-8859-1: a byte above 0x7f was sent unescaped
            } else {
                bytes[n++] = (byte) c;
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

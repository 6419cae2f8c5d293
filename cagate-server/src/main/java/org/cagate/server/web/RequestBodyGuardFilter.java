package org.cagate.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two limits on non-multipart request bodies, checked as the bytes are read (beside
 * {@link JsonBodyLimitFilter}, which limits their size):
 *
 * <ul>
 *   <li>time: the whole body must arrive within {@code cagate.web.body-timeout} of the request reaching
 *       the application, and a read that times out (Tomcat's {@code connection-timeout}) is the same
 *       failure: REQUEST_TIMEOUT (408), not an unreadable body. A client trickling a body byte by byte
 *       would otherwise hold a request thread for as long as it likes;
 *   <li>depth: a JSON body may nest objects and arrays at most {@code cagate.web.max-json-depth} deep
 *       (VALIDATION beyond), counted before the JSON parser sees the bytes. No request of the API nests
 *       more than three levels; Jackson's own limit (1000) is far above what any caller needs.
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 11)
class RequestBodyGuardFilter extends OncePerRequestFilter {

    private final WebProperties properties;
    private final Problems problems;

    RequestBodyGuardFilter(WebProperties properties, Problems problems) {
        this.properties = properties;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        boolean json = type != null && type.toLowerCase(Locale.ROOT).contains("json");
        long deadline = System.nanoTime() + properties.bodyTimeout().toNanos();
        Supplier<ApiException> timeout = () -> {
            ApiException e = new ApiException(ProblemCode.REQUEST_TIMEOUT);
            // Tomcat answers a read that timed out with sendError itself; the error page then shows this problem.
            request.setAttribute(ErrorPages.PROBLEM_ATTRIBUTE, problems.problem(request, e));
            return e;
        };
        chain.doFilter(new Guarded(request, deadline, json ? properties.maxJsonDepth() : -1, timeout), response);
    }

    private static final class Guarded extends HttpServletRequestWrapper {
        private final long deadline;
        private final int maxDepth;
        private final Supplier<ApiException> timeout;
        private ServletInputStream stream;

        Guarded(HttpServletRequest request, long deadline, int maxDepth, Supplier<ApiException> timeout) {
            super(request);
            this.deadline = deadline;
            this.maxDepth = maxDepth;
            this.timeout = timeout;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new GuardedStream(super.getInputStream(), deadline, maxDepth, timeout);
            }
            return stream;
        }
    }

    /** Counts time and JSON nesting over the bytes as they pass; strings are skipped, escapes honoured. */
    private static final class GuardedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long deadline;
        private final int maxDepth;
        private final Supplier<ApiException> timeout;
        private int depth;
        private boolean inString;
        private boolean escaped;

        GuardedStream(ServletInputStream in, long deadline, int maxDepth, Supplier<ApiException> timeout) {
            this.in = in;
            this.deadline = deadline;
            this.maxDepth = maxDepth;
            this.timeout = timeout;
        }

        @Override
        public int read() throws IOException {
            int b = timed(in::read);
            if (b >= 0) {
                scan((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = timed(() -> in.read(buffer, offset, length));
            for (int i = 0; i < n; i++) {
                scan(buffer[offset + i]);
            }
            return n;
        }

        private int timed(Read read) throws IOException {
            if (System.nanoTime() - deadline > 0) {
                throw timeout.get();
            }
            try {
                return read.read();
            } catch (IOException e) {
                // Tomcat reports a read that timed out as a ClientAbortException caused by SocketTimeoutException.
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof SocketTimeoutException) {
                        throw timeout.get();
                    }
                }
                throw e;
            }
        }

        private void scan(byte b) {
            if (maxDepth < 0) {
                return;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
                return;
            }
            switch (b) {
                case '"' -> inString = true;
                case '{', '[' -> {
                    if (++depth > maxDepth) {
                        throw ApiException.detail(
                                ProblemCode.VALIDATION, "problem.VALIDATION.depth", String.valueOf(maxDepth));
                    }
                }
                case '}', ']' -> depth = Math.max(0, depth - 1);
                default -> {}
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @FunctionalInterface
        private interface Read {
            int read() throws IOException;
        }
    }
}

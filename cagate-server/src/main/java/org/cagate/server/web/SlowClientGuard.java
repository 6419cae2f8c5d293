package org.cagate.server.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.Constants;
import org.apache.coyote.Request;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cuts off clients that send a request too slowly for Tomcat to notice. Tomcat times out each read
 * ({@code server.tomcat.connection-timeout}), never a whole request head, so a client sending its
 * headers a byte every few seconds (slowloris) could hold a connection for hours, and one trickling a
 * body Tomcat drains after the answer could hold a request thread as long. Once a second this looks at
 * each of Tomcat's requests (its stage and start time, through {@link GuardedNioProtocol}):
 *
 * <ul>
 *   <li>a request line and headers still arriving {@code cagate.web.header-timeout} after their first
 *       byte: the client gets 408 REQUEST_TIMEOUT (problem+json, zh-CN) and the connection is closed;
 *   <li>a body still being drained {@code header-timeout + body-timeout} after the request began (the
 *       answer was sent already): the connection is closed.
 * </ul>
 *
 * Idle connections are Tomcat's own business (connection and keep-alive timeouts); a body the
 * application is still reading is {@link RequestBodyGuardFilter}'s. A connection is only written to
 * while holding its lock, which Tomcat's workers take to process it, so the answer never interleaves
 * with theirs.
 */
@Component
class SlowClientGuard
        implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
                ApplicationListener<WebServerInitializedEvent>,
                DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SlowClientGuard.class);

    private final long headerTimeoutNanos;
    private final long drainTimeoutNanos;
    private final byte[] timeoutAnswer;
    private final List<GuardedNioProtocol> protocols = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService sweeper;

    SlowClientGuard(WebProperties properties, MessageSource messages, JsonMapper json) {
        this.headerTimeoutNanos = properties.headerTimeout().toNanos();
        this.drainTimeoutNanos =
                properties.headerTimeout().plus(properties.bodyTimeout()).toNanos();
        this.timeoutAnswer = timeoutAnswer(messages, json);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(GuardedNioProtocol.class.getName());
    }

    @Override
    public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
        if (!(event.getWebServer() instanceof TomcatWebServer tomcat)) {
            return;
        }
        for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
            if (connector.getProtocolHandler() instanceof GuardedNioProtocol protocol) {
                protocols.add(protocol);
            }
        }
        if (sweeper == null && !protocols.isEmpty()) {
            sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "slow-client-guard");
                thread.setDaemon(true);
                return thread;
            });
            long period = Math.max(
                    100, Math.min(1000, Duration.ofNanos(headerTimeoutNanos).toMillis() / 4));
            sweeper.scheduleWithFixedDelay(this::sweepSafely, period, period, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void destroy() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    private void sweepSafely() {
        try {
            long now = System.nanoTime();
            for (GuardedNioProtocol protocol : protocols) {
                for (GuardedNioProtocol.Tracked processor : protocol.processors()) {
                    check(processor, now);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Slow-client sweep failed", e); // the next sweep tries again
        }
    }

    private void check(GuardedNioProtocol.Tracked processor, long now) {
        Request request = processor.getRequest();
        long started = request.getStartTimeNanos();
        SocketWrapperBase<?> connection = processor.connection();
        if (started <= 0 || connection == null || connection.isClosed()) {
            return; // idle, pooled, or between requests: Tomcat's own timeouts apply
        }
        // While Tomcat waits for the rest of a head, the processor stays with the connection and its stage
        // reads ENDED (PARSE while a worker parses what arrived); the start time is the head's first byte.
        int stage = request.getRequestProcessor().getStage();
        boolean head = stage == Constants.STAGE_PARSE || stage == Constants.STAGE_ENDED;
        if (head && now - started > headerTimeoutNanos) {
            answerAndClose(processor, connection, started);
        } else if (stage == Constants.STAGE_ENDINPUT && now - started > drainTimeoutNanos) {
            // The answer is out; Tomcat is reading the rest of a body nobody wants, as slowly as it comes.
            log.info("Closing a connection still sending a body {} s after its request began", seconds(now - started));
            connection.close();
        }
    }

    private void answerAndClose(GuardedNioProtocol.Tracked processor, SocketWrapperBase<?> connection, long started) {
        ReentrantLock lock = connection.getLock();
        if (!lock.tryLock()) {
            return; // a worker is reading what just arrived; look again at the next sweep
        }
        try {
            if (connection.isClosed()
                    || connection.getCurrentProcessor() != processor
                    || processor.getRequest().getStartTimeNanos() != started) {
                return; // the head completed meanwhile
            }
            log.info("Request head from {} too slow: 408 and closed", connection.getRemoteAddr());
            connection.write(true, ByteBuffer.wrap(timeoutAnswer));
            connection.flush(true);
            connection.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Could not send 408 to a slow client: {}", e.toString());
            connection.close();
        } finally {
            lock.unlock();
        }
    }

    /** The whole HTTP answer, made once: the problem as the API would give it for REQUEST_TIMEOUT. */
    private static byte[] timeoutAnswer(MessageSource messages, JsonMapper json) {
        ProblemCode code = ProblemCode.REQUEST_TIMEOUT;
        Locale zh = Locale.SIMPLIFIED_CHINESE;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", messages.getMessage(code.titleKey(), null, code.name(), zh));
        problem.put("status", code.status().value());
        problem.put("detail", messages.getMessage(code.detailKey(), null, code.name(), zh));
        problem.put("code", code.name());
        byte[] body = json.writeValueAsBytes(problem);
        String head = "HTTP/1.1 408 Request Timeout\r\n"
                + "Content-Type: application/problem+json;charset=UTF-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] answer = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, answer, 0, headBytes.length);
        System.arraycopy(body, 0, answer, headBytes.length, body.length);
        return answer;
    }

    private static long seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }
}

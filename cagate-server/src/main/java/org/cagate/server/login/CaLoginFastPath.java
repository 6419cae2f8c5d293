package org.cagate.server.login;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Validator;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.cagate.pki.Challenge;
import org.cagate.server.auth.SessionService;
import org.cagate.server.challenge.ChallengeService;
import org.cagate.server.challenge.SignedAssertion;
import org.cagate.server.system.ClientIp;
import org.cagate.server.system.DatabaseOutage;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.cagate.server.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.CompositeHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two requests of every CA login, {@code POST /api/ca/challenges} with purpose LOGIN and {@code POST
 * /api/ca/login}, answered ahead of Spring Session, Spring Security and Spring MVC (issue 19: a login paid
 * for that generic stack twice, about half of the server's CPU per login). It takes only requests whose
 * answer it can give exactly as the generic path would:
 *
 * <ol>
 *   <li>a JSON body (after {@code JsonBodyLimitFilter} and {@code RequestBodyGuardFilter}, which still
 *       limit its size, its nesting and how long it may take to arrive);
 *   <li>the CSRF token of the wire contract: cookie XSRF-TOKEN, echoed in the X-XSRF-TOKEN header, compared
 *       in constant time as Spring Security's CsrfFilter does (both routes are open to anyone signed in or
 *       not, so that is all Spring Security decides for them);
 *   <li>for the login, no session cookie: a request with one goes the generic way, which renews the old
 *       session's id; a new session is made here directly in the repository (SessionService#createSession),
 *       in the login's own transaction;
 *   <li>a body that binds and validates: the challenge request is LOGIN with a well-formed provider code,
 *       the assertion passes the same bean validation as {@code @Valid} would.
 * </ol>
 *
 * Any other request (a BIND challenge, a missing or wrong CSRF token, unreadable JSON, a field out of
 * bounds) continues down the generic chain with its body replayed, so every refusal that is not the
 * ceremony's own (VALIDATION with its field list, FORBIDDEN for CSRF, UNAUTHENTICATED for BIND) keeps its
 * one implementation. The ceremony's refusals ({@link ApiException}: CHALLENGE_*, CERT_*, RATE_LIMITED,
 * ...) are written by {@link Problems} as everywhere else; a database outage leaves this filter for {@code
 * DatabaseOutageFilter}, just outside it, which answers 503.
 */
final class CaLoginFastPath extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(CaLoginFastPath.class);

    static final String CHALLENGES = "/api/ca/challenges";
    static final String LOGIN = "/api/ca/login";
    /** What Spring Security's header writer adds beside BrowserHardeningFilter's headers. */
    private static final HeaderWriter SECURITY_HEADERS =
            new CompositeHeaderWriter(List.of(new CacheControlHeadersWriter(), new XXssProtectionHeaderWriter()));

    private static final Pattern PROVIDER = Pattern.compile("[A-Z0-9_]{1,32}");

    private final ChallengeService challenges;
    private final CaLogin login;
    private final SessionService sessions;
    private final Problems problems;
    private final JsonMapper json;
    private final Validator validator;
    private final CsrfTokenRepository csrfTokens;
    private final LongAdder answered = new LongAdder();

    CaLoginFastPath(
            ChallengeService challenges,
            CaLogin login,
            SessionService sessions,
            Problems problems,
            JsonMapper json,
            Validator validator,
            CsrfTokenRepository csrfTokens) {
        this.challenges = challenges;
        this.login = login;
        this.sessions = sessions;
        this.problems = problems;
        this.json = json;
        this.validator = validator;
        this.csrfTokens = csrfTokens;
    }

    /** Requests this filter answered itself (the rest went down the generic chain); for tests and metrics. */
    long answered() {
        return answered.sum();
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        /**
         * Inside DatabaseOutageFilter (+20), outside Spring Session (+50); the servlet container maps only the two
         * paths to it, so no other request pays for it.
         */
        @Bean
        FilterRegistrationBean<CaLoginFastPath> caLoginFastPath(
                ChallengeService challenges,
                CaLogin login,
                SessionService sessions,
                Problems problems,
                JsonMapper json,
                Validator validator,
                CsrfTokenRepository csrfTokens) {
            FilterRegistrationBean<CaLoginFastPath> registration = new FilterRegistrationBean<>(
                    new CaLoginFastPath(challenges, login, sessions, problems, json, validator, csrfTokens));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 21);
            registration.setDispatcherTypes(DispatcherType.REQUEST);
            registration.addUrlPatterns(CHALLENGES, LOGIN);
            return registration;
        }
    }

    /** What a LOGIN challenge request binds to; the generic path's ChallengeRequest validates the same fields. */
    record ChallengeRequest(String purpose, String provider) {}

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        boolean isLogin = LOGIN.equals(path);
        if (!"POST".equals(request.getMethod())
                || !(isLogin || CHALLENGES.equals(path))
                || !json(request)
                || !csrfTokenEchoed(request)
                || (isLogin && sessions.hasSessionCookie(request))) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (ApiException e) { // the body limits of JsonBodyLimitFilter and RequestBodyGuardFilter
            problems.write(request, response, e);
            return;
        }
        Object answer = isLogin ? parseAssertion(body) : parseLoginChallenge(body);
        if (answer == null) {
            chain.doFilter(new Replayed(request, body), response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(observation -> observation.setPathPattern(path));
        answered.increment();
        SECURITY_HEADERS.writeHeaders(request, response);
        try {
            if (answer instanceof SignedAssertion assertion) {
                login(assertion, request, response);
            } else {
                ChallengeRequest challenge = (ChallengeRequest) answer;
                write(
                        response,
                        HttpServletResponse.SC_CREATED,
                        challenges.issue(Challenge.Purpose.LOGIN, challenge.provider(), null, ClientIp.of(request)));
            }
        } catch (ApiException e) {
            if (e.code().status().is5xxServerError() && e.code() != ProblemCode.SERVICE_UNAVAILABLE) {
                log.warn("{} {} answered {}", request.getMethod(), path, e.getMessage(), e);
            }
            problems.write(request, response, e);
        } catch (RuntimeException e) {
            if (DatabaseOutage.isOutage(e)) {
                throw e; // DatabaseOutageFilter answers 503
            }
            log.error("Unexpected failure of {} {}", request.getMethod(), path, e);
            problems.write(request, response, new ApiException(ProblemCode.INTERNAL_ERROR));
        }
    }

    private void login(SignedAssertion assertion, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // The session row is written in the login's transaction, beside its audit row: one commit for both.
        String[] sessionId = new String[1];
        CaLogin.Success success = login.login(
                assertion,
                ClientIp.of(request),
                request.getHeader(HttpHeaders.ORIGIN),
                signedIn -> sessionId[0] = sessions.createSession(signedIn.user(), signedIn.method()));
        sessions.sendNew(sessionId[0], request, response);
        write(
                response,
                HttpServletResponse.SC_OK,
                new CaLoginController.LoginAnswer(success.account(), CaLoginController.REDIRECT));
    }

    private ChallengeRequest parseLoginChallenge(byte[] body) {
        ChallengeRequest request = read(body, ChallengeRequest.class);
        return request != null
                        && "LOGIN".equals(request.purpose())
                        && request.provider() != null
                        && PROVIDER.matcher(request.provider()).matches()
                ? request
                : null;
    }

    private SignedAssertion parseAssertion(byte[] body) {
        SignedAssertion assertion = read(body, SignedAssertion.class);
        return assertion != null && validator.validate(assertion).isEmpty() ? assertion : null;
    }

    /** The body as Spring MVC's converter would bind it, or null for whatever it would refuse. */
    private <T> T read(byte[] body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void write(HttpServletResponse response, int status, Object answer) throws IOException {
        byte[] bytes = json.writeValueAsBytes(answer);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static boolean json(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return false;
        }
        String lower = type.toLowerCase(Locale.ROOT);
        return lower.equals("application/json") || lower.startsWith("application/json;");
    }

    /** The token of the XSRF-TOKEN cookie, as Spring Security loads it, echoed in its header. */
    private boolean csrfTokenEchoed(HttpServletRequest request) {
        CsrfToken expected = csrfTokens.loadToken(request);
        String header = expected == null ? null : request.getHeader(expected.getHeaderName());
        return header != null
                && MessageDigest.isEqual(
                        header.getBytes(StandardCharsets.UTF_8),
                        expected.getToken().getBytes(StandardCharsets.UTF_8));
    }

    /** The request with the body this filter read, for the generic chain. */
    private static final class Replayed extends HttpServletRequestWrapper {
        private final ByteArrayInputStream body;

        Replayed(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = new ByteArrayInputStream(body);
        }

        @Override
        public ServletInputStream getInputStream() {
            return new ServletInputStream() {
                @Override
                public int read() {
                    return body.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return body.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return body.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was read already");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(
                    new InputStreamReader(body, encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }
    }
}

package org.cagate.server.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds RFC 9457 problem+json answers with the extra {@code code} member, in the request's locale
 * (zh-CN unless the request asks for English). Used by the one {@code @RestControllerAdvice}, the
 * error controller and the security handlers, so every error looks the same wherever it starts.
 */
@Component
public class Problems {

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private final MessageSource messages;
    private final LocaleResolver localeResolver;
    private final JsonMapper json;

    Problems(MessageSource messages, LocaleResolver localeResolver, JsonMapper json) {
        this.messages = messages;
        this.localeResolver = localeResolver;
        this.json = json;
    }

    public ProblemDetail problem(HttpServletRequest request, ApiException e) {
        Locale locale = localeResolver.resolveLocale(request);
        ProblemCode code = e.code();
        ProblemDetail problem = ProblemDetail.forStatus(code.status());
        problem.setType(ABOUT_BLANK); // the code member says what went wrong; no documentation URL to point at
        problem.setTitle(messages.getMessage(code.titleKey(), null, code.name(), locale));
        problem.setDetail(messages.getMessage(e.detailKey(), e.detailArgs(), problem.getTitle(), locale));
        problem.setProperty("code", code.name());
        // On the error dispatch, name the path the client asked for, not /error.
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = original instanceof String s ? s : request.getRequestURI();
        if (path != null) {
            problem.setInstance(URI.create(safePath(path)));
        }
        return problem;
    }

    public ProblemDetail problem(HttpServletRequest request, ProblemCode code) {
        return problem(request, new ApiException(code));
    }

    /** A VALIDATION problem listing each field and what is wrong with it, in the request's locale. */
    public ProblemDetail validation(HttpServletRequest request, List<Map<String, String>> errors) {
        ProblemDetail problem =
                problem(request, ApiException.detail(ProblemCode.VALIDATION, "problem.VALIDATION.fields"));
        problem.setProperty("errors", errors);
        return problem;
    }

    public String message(HttpServletRequest request, String key, Object... args) {
        return messages.getMessage(key, args, key, localeResolver.resolveLocale(request));
    }

    public ResponseEntity<ProblemDetail> entity(ProblemDetail problem, Duration retryAfter) {
        ResponseEntity.BodyBuilder builder =
                ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
        }
        return builder.body(problem);
    }

    /** Writes a problem directly, for code that runs outside Spring MVC (filters, security handlers). */
    public void write(HttpServletRequest request, HttpServletResponse response, ApiException e) throws IOException {
        write(response, problem(request, e), e.retryAfter());
    }

    public void write(HttpServletResponse response, ProblemDetail problem, Duration retryAfter) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        if (retryAfter != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", String.valueOf(problem.getType() == null ? ABOUT_BLANK : problem.getType()));
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        json.writeValue(response.getOutputStream(), body);
    }

    static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    // The request path is echoed as "instance"; drop anything that would not make a valid URI.
    private static String safePath(String path) {
        return path.matches("[A-Za-z0-9/._~\\-]*") ? path : "/";
    }
}

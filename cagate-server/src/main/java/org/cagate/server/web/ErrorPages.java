package org.cagate.server.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.cagate.server.system.DatabaseOutage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Replaces Boot's whitelabel {@code /error}: errors that happen before or outside Spring MVC (a
 * filter, Tomcat refusing a request, {@code sendError}) end here. API paths get problem+json, pages
 * the Chinese error page; never a stack trace.
 */
@Controller
class ErrorPages implements org.springframework.boot.webmvc.error.ErrorController {

    static final String PROBLEM_ATTRIBUTE = ErrorPages.class.getName() + ".problem";

    private final Problems problems;

    ErrorPages(Problems problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    ModelAndView error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ProblemDetail problem = problem(request);
        if (!isPage(request)) {
            problems.write(response, problem, null);
            return null;
        }
        return new ModelAndView(
                "error",
                Map.of("status", problem.getStatus(), "title", problem.getTitle(), "detail", problem.getDetail()),
                HttpStatus.valueOf(problem.getStatus()));
    }

    private ProblemDetail problem(HttpServletRequest request) {
        if (request.getAttribute(PROBLEM_ATTRIBUTE) instanceof ProblemDetail problem) {
            return problem;
        }
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        for (Throwable t = exception instanceof Throwable e ? e : null; t != null; t = t.getCause()) {
            if (t instanceof ApiException e) {
                return problems.problem(request, e);
            }
        }
        // The database failed before any controller ran (e.g. loading the session): say so, not 500.
        if (exception instanceof Throwable e && DatabaseOutage.isOutage(e)) {
            return problems.problem(request, ProblemCode.SERVICE_UNAVAILABLE);
        }
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer value ? value : 500;
        return problems.problem(request, codeFor(code));
    }

    /** The problem code for an HTTP status that arrived without one. */
    static ProblemCode codeFor(int status) {
        return switch (status) {
            case 400 -> ProblemCode.VALIDATION;
            case 401 -> ProblemCode.UNAUTHENTICATED;
            case 403 -> ProblemCode.FORBIDDEN;
            case 404 -> ProblemCode.NOT_FOUND;
            case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
            case 406 -> ProblemCode.NOT_ACCEPTABLE;
            case 408 -> ProblemCode.REQUEST_TIMEOUT;
            case 409 -> ProblemCode.CONFLICT;
            case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ProblemCode.RATE_LIMITED;
            case 503 -> ProblemCode.SERVICE_UNAVAILABLE;
            default -> status >= 400 && status < 500 ? ProblemCode.VALIDATION : ProblemCode.INTERNAL_ERROR;
        };
    }

    /**
     * Whether a request is for a page (HTML for people) rather than the JSON API. Decided by path, so
     * a browser and a script get the same answer for the same URL.
     */
    static boolean isPage(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String uri = original instanceof String s ? s : request.getRequestURI();
        String path = uri.substring(request.getContextPath().length());
        return !(path.startsWith("/api/")
                || path.equals("/api")
                || path.startsWith("/actuator")
                || path.startsWith("/v3/")
                || path.equals("/error"));
    }
}

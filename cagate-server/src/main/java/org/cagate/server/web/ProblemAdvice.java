package org.cagate.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cagate.server.system.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestValueException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place that turns exceptions into answers. API requests get problem+json; page requests
 * get the Chinese error page (through {@code sendError}, rendered by {@link ErrorPages}). Nothing a
 * client sends yields a 500: every client mistake Spring MVC can detect has its code here, and
 * anything unexpected is logged and answered as INTERNAL_ERROR without internals.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    private static final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

    private final Problems problems;

    ProblemAdvice(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // SERVICE_UNAVAILABLE is a limit the feature logs itself (once, not per refused request).
        if (e.code().status().is5xxServerError() && e.code() != ProblemCode.SERVICE_UNAVAILABLE) {
            log.warn("{} {} answered {}", request.getMethod(), request.getRequestURI(), e.getMessage(), e);
        }
        return respond(request, response, problems.problem(request, e), e);
    }

    @ExceptionHandler(BindException.class) // includes MethodArgumentNotValidException (@Valid bodies)
    ResponseEntity<ProblemDetail> invalid(BindException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            errors.add(Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())));
        }
        e.getBindingResult()
                .getGlobalErrors()
                .forEach(error -> errors.add(
                        Map.of("field", error.getObjectName(), "message", String.valueOf(error.getDefaultMessage()))));
        return respond(request, response, problems.validation(request, errors), null);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameters(
            HandlerMethodValidationException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getParameterValidationResults()
                .forEach(result -> result.getResolvableErrors()
                        .forEach(error -> errors.add(Map.of(
                                "field",
                                String.valueOf(result.getMethodParameter().getParameterName()),
                                "message",
                                String.valueOf(error.getDefaultMessage())))));
        return respond(request, response, problems.validation(request, errors), null);
    }

    @ExceptionHandler({
        HttpMessageNotReadableException.class,
        MethodArgumentTypeMismatchException.class,
        MissingRequestValueException.class
    })
    ResponseEntity<ProblemDetail> unreadable(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException inner) { // e.g. the body limit, hit while JSON was being read
                return respond(request, response, inner);
            }
        }
        log.debug("Unreadable request {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        String key = e instanceof HttpMessageNotReadableException
                ? "problem.VALIDATION.body"
                : e instanceof MethodArgumentTypeMismatchException mismatch
                        ? "problem.VALIDATION.parameter"
                        : "problem.VALIDATION.missing";
        Object arg = e instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName() : null;
        if (e instanceof org.springframework.web.bind.MissingServletRequestParameterException missing) {
            arg = missing.getParameterName();
        }
        return respond(request, response, ApiException.detail(ProblemCode.VALIDATION, key, arg));
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<ProblemDetail> notFound(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return respond(request, response, new ApiException(ProblemCode.NOT_FOUND));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(
            HttpRequestMethodNotSupportedException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (e.getSupportedHttpMethods() != null) {
            response.setHeader(
                    "Allow",
                    String.join(
                            ", ",
                            e.getSupportedHttpMethods().stream()
                                    .map(Object::toString)
                                    .toList()));
        }
        return respond(request, response, new ApiException(ProblemCode.METHOD_NOT_ALLOWED));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return respond(request, response, new ApiException(ProblemCode.UNSUPPORTED_MEDIA_TYPE));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // The client cannot take JSON; answer the problem anyway, since there is nothing better to send.
        return respond(request, response, new ApiException(ProblemCode.NOT_ACCEPTABLE));
    }

    @ExceptionHandler({MaxUploadSizeExceededException.class})
    ResponseEntity<ProblemDetail> tooLarge(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return respond(request, response, new ApiException(ProblemCode.PAYLOAD_TOO_LARGE));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return respond(request, response, ApiException.detail(ProblemCode.VALIDATION, "problem.VALIDATION.body"));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean anonymous = authentication == null || trust.isAnonymous(authentication);
        return respond(
                request, response, new ApiException(anonymous ? ProblemCode.UNAUTHENTICATED : ProblemCode.FORBIDDEN));
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ProblemDetail> duplicate(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // A unique constraint a feature did not translate itself (e.g. two requests racing).
        log.info("Unique constraint on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        return respond(request, response, new ApiException(ProblemCode.CONFLICT));
    }

    @ExceptionHandler({
        CannotGetJdbcConnectionException.class,
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class
    })
    ResponseEntity<ProblemDetail> unavailable(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws Exception {
        if (DatabaseOutage.isOutage(e)) {
            // Answered by DatabaseOutageFilter, outside Spring Session: an answer written here would make Spring
            // Session save the session as it is committed (failing again), and the error page's layout would ask
            // the database for the session once more.
            throw e;
        }
        DatabaseOutageFilter.logUnavailable(log, request, e);
        return respond(request, response, new ApiException(ProblemCode.SERVICE_UNAVAILABLE));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws Exception {
        if (DatabaseOutage.isOutage(e)) { // e.g. a transaction that could not begin, a commit that failed
            return unavailable(e, request, response);
        }
        if (e instanceof org.springframework.web.ErrorResponse errorResponse
                && errorResponse.getStatusCode().is4xxClientError()) {
            return respond(
                    request,
                    response,
                    new ApiException(
                            ErrorPages.codeFor(errorResponse.getStatusCode().value())));
        }
        log.error("Unexpected failure of {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(request, response, new ApiException(ProblemCode.INTERNAL_ERROR));
    }

    private ResponseEntity<ProblemDetail> respond(
            HttpServletRequest request, HttpServletResponse response, ApiException e) throws IOException {
        return respond(request, response, problems.problem(request, e), e);
    }

    private ResponseEntity<ProblemDetail> respond(
            HttpServletRequest request, HttpServletResponse response, ProblemDetail problem, ApiException e)
            throws IOException {
        if (ErrorPages.isPage(request)) {
            // Pages show the Chinese error page; the error controller reads the problem from here.
            request.setAttribute(ErrorPages.PROBLEM_ATTRIBUTE, problem);
            response.sendError(problem.getStatus());
            return null;
        }
        return problems.entity(problem, e == null ? null : e.retryAfter());
    }
}

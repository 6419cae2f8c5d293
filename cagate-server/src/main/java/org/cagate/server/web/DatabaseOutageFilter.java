package org.cagate.server.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.cagate.server.system.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.View;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

/**
 * The answer when the database is unreachable, wherever the request found out: 503 SERVICE_UNAVAILABLE as
 * problem+json for the API, the Chinese error page (服务暂不可用) for pages, never a 500.
 *
 * <p>Spring MVC's {@link ProblemAdvice} answers what fails inside a controller, but much of a request touches
 * the database before or after Spring MVC: Spring Session loads the session in its filter (when Spring
 * Security or the page layout first asks for it), saves it when the answer is committed, and the error
 * dispatch asks for it again. This filter sits outside Spring Session (order +20, Spring Session is +50) on
 * the request and the error dispatch, so whatever database failure leaves the chain is answered here, once.
 * Pages are rendered from the {@code error} template directly, without the layout (which would ask for the
 * session once more). {@link ProblemAdvice} hands every such failure up to here, pages and API alike, so that
 * nothing it writes makes Spring Session save the session (and fail) again.
 */
final class DatabaseOutageFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageFilter.class);

    private final Problems problems;
    private final ObjectProvider<ThymeleafViewResolver> views;

    DatabaseOutageFilter(Problems problems, ObjectProvider<ThymeleafViewResolver> views) {
        this.problems = problems;
        this.views = views;
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<DatabaseOutageFilter> databaseOutageFilter(
                Problems problems, ObjectProvider<ThymeleafViewResolver> views) {
            FilterRegistrationBean<DatabaseOutageFilter> registration =
                    new FilterRegistrationBean<>(new DatabaseOutageFilter(problems, views));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
            return registration;
        }
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!DatabaseOutage.isOutage(e) || response.isCommitted()) {
                throw e;
            }
            logUnavailable(log, request, e);
            answer(request, response);
        }
    }

    /** One line per request, at debug level once the outage is known (it was logged when it began). */
    static void logUnavailable(Logger log, HttpServletRequest request, Throwable e) {
        if (DatabaseOutage.alreadyKnown(e)) {
            log.debug("Database unavailable for {} {}: 503", request.getMethod(), request.getRequestURI());
        } else {
            log.warn(
                    "Database unavailable for {} {}: 503 ({})",
                    request.getMethod(),
                    request.getRequestURI(),
                    DatabaseOutage.describe(e));
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.resetBuffer(); // keeps the browser-hardening headers; drops whatever body was started
        response.setContentLengthLong(-1);
        ProblemDetail problem = problems.problem(request, ProblemCode.SERVICE_UNAVAILABLE);
        ThymeleafViewResolver resolver = views.getIfAvailable();
        if (!ErrorPages.isPage(request) || resolver == null) {
            problems.write(response, problem, null);
            return;
        }
        response.setStatus(problem.getStatus());
        try {
            View page = resolver.resolveViewName("error", request.getLocale());
            if (page == null) {
                throw new IllegalStateException("no error template");
            }
            page.render(
                    Map.of("status", problem.getStatus(), "title", problem.getTitle(), "detail", problem.getDetail()),
                    request,
                    response);
        } catch (Exception renderFailure) {
            if (response.isCommitted()) {
                throw new IOException("the error page failed half-way", renderFailure);
            }
            log.warn("The error page could not be rendered; answering problem+json", renderFailure);
            response.resetBuffer();
            problems.write(response, problem, null);
        }
    }
}

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
import org.springframework.session.web.http.SessionRepositoryFilter;
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
 *
 * <p>A failure after the answer was committed cannot become a 503. If the application finished its answer
 * ({@link AnswerComplete}, just inside Spring Session, saw the chain return) the failure came from Spring
 * Session's own bookkeeping after it: its filter, once the chain returns, looks the requested session up
 * again (spring-session#1731) to decide on a cookie that can no longer be sent, and that lookup meets a
 * database that went away a moment before. The session was saved when the answer was committed, so the
 * answer stands and is completed as written. If the application failed half-way through a committed
 * answer (a stream cut off), the failure goes on to Tomcat, which closes the connection: a truncated body
 * must not look complete.
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
        FilterRegistrationBean<AnswerComplete> answerCompleteMarker() {
            return onRequestAndErrorDispatch(new AnswerComplete(), AnswerComplete.ORDER);
        }

        @Bean
        FilterRegistrationBean<DatabaseOutageFilter> databaseOutageFilter(
                Problems problems, ObjectProvider<ThymeleafViewResolver> views) {
            return onRequestAndErrorDispatch(
                    new DatabaseOutageFilter(problems, views), Ordered.HIGHEST_PRECEDENCE + 20);
        }

        private static <F extends OncePerRequestFilter> FilterRegistrationBean<F> onRequestAndErrorDispatch(
                F filter, int order) {
            FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
            registration.setOrder(order);
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
        request.removeAttribute(AnswerComplete.ATTRIBUTE); // each dispatch (request, error) says so anew
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!DatabaseOutage.isOutage(e)) {
                throw e;
            }
            if (!response.isCommitted()) {
                logUnavailable(log, request, e);
                answer(request, response);
            } else if (request.getAttribute(AnswerComplete.ATTRIBUTE) != null) {
                log.info(
                        "{} {} was answered {}; Spring Session's work after the answer failed ({})",
                        request.getMethod(),
                        request.getRequestURI(),
                        response.getStatus(),
                        DatabaseOutage.describe(e));
            } else {
                throw e;
            }
        }
    }

    /**
     * Marks the request once the application's chain returned without a failure, i.e. the answer as written
     * is whole. It runs just inside Spring Session's filter ({@code SessionRepositoryFilter.DEFAULT_ORDER},
     * which {@code spring.session.servlet.filter-order} keeps), so whatever fails after the mark is Spring
     * Session's work after the chain.
     */
    static final class AnswerComplete extends OncePerRequestFilter {

        static final int ORDER = SessionRepositoryFilter.DEFAULT_ORDER + 1;
        static final String ATTRIBUTE = AnswerComplete.class.getName();

        @Override
        protected boolean shouldNotFilterErrorDispatch() {
            return false;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            chain.doFilter(request, response);
            request.setAttribute(ATTRIBUTE, Boolean.TRUE);
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

package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link DatabaseOutageFilter} around Spring Session's real {@link SessionRepositoryFilter}, whose session
 * store starts failing as the database goes away: before the answer is committed the client gets 503; after
 * a whole answer, Spring Session's own lookup failing must not cut the connection (the defect the outage
 * benchmark found); after half an answer, the failure must reach the container so the cut shows.
 */
class DatabaseOutageFilterTests {

    private final FailingSessions sessions = new FailingSessions();
    private final String sessionId = sessions.existing();

    @Test
    void answerWhenDatabaseFailsBeforeCommitThenProblem503() throws Exception {
        sessions.failFromLookup(1); // the request's first look at its session

        MockHttpServletResponse response = run(new Answer(201, "{\"id\":7}", true));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("\"code\":\"SERVICE_UNAVAILABLE\"");
    }

    @Test
    void answerWhenSessionLookupAfterWholeAnswerFailsThenAnswerStands() throws Exception {
        sessions.failFromLookup(2); // Spring Session's second lookup, after the chain returned

        MockHttpServletResponse response = run(new Answer(201, "{\"id\":7}", true));

        assertThat(sessions.lookups.get()).isEqualTo(2);
        assertThat(response.isCommitted()).isTrue();
        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getContentAsString()).isEqualTo("{\"id\":7}");
        assertThat(sessions.saves.get())
                .as("the session was saved as the answer was committed")
                .isEqualTo(1);
    }

    @Test
    void answerWhenApplicationFailsAfterCommittingHalfThenFailureReachesContainer() {
        sessions.failFromLookup(2);

        assertThatThrownBy(() -> run(new Answer(200, "id,name\n1,", false)))
                .isInstanceOf(DataAccessResourceFailureException.class);
    }

    @Test
    void answerWhenNoOutageThenUntouched() throws Exception {
        MockHttpServletResponse response = run(new Answer(201, "{\"id\":7}", true));

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getContentAsString()).isEqualTo("{\"id\":7}");
        assertThat(sessions.lookups.get()).isEqualTo(2);
    }

    private MockHttpServletResponse run(Servlet application) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/ca/challenges");
        request.setCookies(new Cookie("SESSION", Base64.getEncoder().encodeToString(sessionId.getBytes())));
        MockHttpServletResponse response = new MockHttpServletResponse();
        Filter[] filters = {
            new DatabaseOutageFilter(
                    problems(), new StaticListableBeanFactory().getBeanProvider(ThymeleafViewResolver.class)),
            new SessionRepositoryFilter<>(sessions),
            new DatabaseOutageFilter.AnswerComplete()
        };
        new MockFilterChain(application, filters).doFilter(request, response);
        return response;
    }

    private static Problems problems() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasenames("problems");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        AcceptHeaderLocaleResolver locales = new AcceptHeaderLocaleResolver();
        locales.setDefaultLocale(Locale.SIMPLIFIED_CHINESE);
        return new Problems(messages, locales, JsonMapper.builder().build());
    }

    /** The application: uses the session, writes its answer and commits it; whole or cut off by an outage. */
    private static final class Answer extends HttpServlet {

        private final int status;
        private final String body;
        private final boolean whole;

        Answer(int status, String body, boolean whole) {
            this.status = status;
            this.body = body;
            this.whole = whole;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            HttpSession session = request.getSession(false);
            assertThat(session).isNotNull();
            response.setStatus(status);
            response.getWriter().write(body);
            response.flushBuffer();
            if (!whole) {
                throw new DataAccessResourceFailureException("I/O error while streaming rows");
            }
        }
    }

    /** A session store whose database goes away at a given lookup; counts lookups and saves. */
    private static final class FailingSessions extends MapSessionRepository {

        final AtomicInteger lookups = new AtomicInteger();
        final AtomicInteger saves = new AtomicInteger();
        private int failFrom = Integer.MAX_VALUE;

        FailingSessions() {
            super(new ConcurrentHashMap<>());
        }

        String existing() {
            MapSession session = createSession();
            super.save(session);
            return session.getId();
        }

        void failFromLookup(int lookup) {
            failFrom = lookup;
        }

        @Override
        public MapSession findById(String id) {
            if (lookups.incrementAndGet() >= failFrom) {
                throw new DataAccessResourceFailureException(
                        "JDBC commit; FATAL: terminating connection due to administrator command");
            }
            return super.findById(id);
        }

        @Override
        public void save(MapSession session) {
            if (lookups.get() >= failFrom) {
                throw new DataAccessResourceFailureException("I/O error occurred while sending to the backend");
            }
            saves.incrementAndGet();
            super.save(session);
        }
    }
}

package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.cagate.server.testing.CagateServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.session.autoconfigure.SessionProperties;
import org.springframework.boot.web.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * Where the running server puts {@link DatabaseOutageFilter} and its {@link DatabaseOutageFilter.AnswerComplete}
 * mark: outside and just inside Spring Session's filter, on the request and the error dispatch alike, which
 * is what {@link DatabaseOutageFilterTests} assumes when it builds the chain by hand.
 */
@CagateServerTest
class DatabaseOutageFilterOrderTests {

    @Autowired
    FilterRegistrationBean<DatabaseOutageFilter> outageFilter;

    @Autowired
    FilterRegistrationBean<DatabaseOutageFilter.AnswerComplete> answerComplete;

    @Autowired
    SessionProperties session;

    @Test
    void filtersWhenServerRunsThenOutageOutsideSessionAndMarkJustInside() {
        int sessionOrder = session.getServlet().getFilterOrder();

        assertThat(outageFilter.getOrder()).isLessThan(sessionOrder);
        assertThat(answerComplete.getOrder()).isEqualTo(sessionOrder + 1);
        assertThat(session.getServlet().getFilterDispatcherTypes())
                .contains(DispatcherType.REQUEST, DispatcherType.ERROR);
    }
}

package org.cagate.server.auth;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Session's JDBC repository writes in the caller's transaction when there is one (propagation
 * REQUIRED) instead of its default, a transaction of its own (REQUIRES_NEW). The CA login saves its new
 * session inside the login's transaction (SessionService#createSession), so that the session row and the
 * attempt's audit row commit together, once; with REQUIRES_NEW that save would take a second pooled
 * connection while holding the first, which under load starves the pool (measured: every connection held,
 * logins refused 503 after the pool's timeout). Outside a transaction, where Spring Session's filter saves
 * at the end of a request, nothing changes: the template begins one of its own.
 */
@Configuration(proxyBeanMethods = false)
class SessionStoreConfig {

    /**
     * The name Spring Session's {@code JdbcHttpSessionConfiguration} looks for. Being a TransactionOperations,
     * it is also the application's one TransactionTemplate: Spring Boot backs off its own, which is the same
     * {@code new TransactionTemplate(transactionManager)}.
     */
    @Bean
    @Qualifier("springSessionTransactionOperations")
    TransactionTemplate springSessionTransactionOperations(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }
}

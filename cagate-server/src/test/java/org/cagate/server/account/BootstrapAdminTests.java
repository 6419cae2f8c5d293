package org.cagate.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;

@CagateServerTest
class BootstrapAdminTests {

    @LocalServerPort
    int port;

    @Autowired
    AccountRepository accounts;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    AuditLog audit;

    @Autowired
    Clock clock;

    @Test
    void startWhenBootstrapConfiguredThenPlatformAdminWithoutOrganisationCanLogIn() {
        Account admin = accounts.findByLoginName(Fixtures.BOOTSTRAP_LOGIN).orElseThrow();

        assertThat(admin.roles()).containsExactly(Role.PLATFORM_ADMIN);
        assertThat(admin.organizationId()).isNull();
        ApiClient client = ApiClient.on(port).login(Fixtures.BOOTSTRAP_LOGIN, Fixtures.BOOTSTRAP_PASSWORD);
        assertThat(client.get("/api/me").json().path("roles").toString()).isEqualTo("[\"PLATFORM_ADMIN\"]");
        assertThat(client.get("/api/admin/regions").status()).isEqualTo(200);
    }

    @Test
    void startWhenAdminExistsThenPasswordFromConfigurationIgnored() {
        String hash = accounts.passwordHash(
                accounts.findByLoginName(Fixtures.BOOTSTRAP_LOGIN).orElseThrow().id());

        bootstrap(Fixtures.BOOTSTRAP_LOGIN, "Another-Pass-2026!").run(null);

        Account admin = accounts.findByLoginName(Fixtures.BOOTSTRAP_LOGIN).orElseThrow();
        assertThat(accounts.passwordHash(admin.id())).isEqualTo(hash);
    }

    @Test
    void startWhenPasswordWeakOrMissingThenRefusedAndNoAccount() {
        String login = "admin" + Fixtures.unique();

        assertThatThrownBy(() -> bootstrap(login, "password").run(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too weak");
        assertThatThrownBy(() -> bootstrap(login, null).run(null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bootstrap(login, login + "-Aa1!").run(null)).isInstanceOf(IllegalStateException.class);
        assertThat(accounts.findByLoginName(login)).isEmpty();
    }

    @Test
    void startWhenNewLoginNameAndStrongPasswordThenCreated() {
        String login = "admin" + Fixtures.unique();

        bootstrap(login, "Strong-Pass-2026!").run(null);

        Account admin = accounts.findByLoginName(login).orElseThrow();
        assertThat(admin.roles()).containsExactly(Role.PLATFORM_ADMIN);
        assertThat(encoder.matches("Strong-Pass-2026!", accounts.passwordHash(admin.id())))
                .isTrue();
    }

    private BootstrapAdmin bootstrap(String login, String password) {
        return new BootstrapAdmin(new BootstrapProperties(login, password, null), accounts, encoder, audit, clock);
    }
}

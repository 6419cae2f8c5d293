package org.cagate.server.auth;

import java.util.List;
import org.cagate.server.web.LoginTab;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** 账号登录, the first tab of the 登录 page. */
@Configuration(proxyBeanMethods = false)
class PasswordLoginTab {

    @Bean
    LoginTab passwordTab() {
        return new LoginTab("password", "账号登录", "login/password-tab", 10, List.of("/js/login-password.js"));
    }
}

package org.cagate.server.account;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first platform operator ({@code cagate.bootstrap.admin.*}, or the environment variables
 * CAGATE_BOOTSTRAP_ADMIN_LOGIN_NAME and CAGATE_BOOTSTRAP_ADMIN_PASSWORD). There is no default
 * password.
 */
@ConfigurationProperties("cagate.bootstrap.admin")
public record BootstrapProperties(String loginName, String password, String displayName) {

    String displayNameOrDefault() {
        return displayName == null || displayName.isBlank() ? "平台管理员" : displayName;
    }
}

package org.cagate.server.oidc;

import org.cagate.server.audit.AuditActionLabel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The audit page's names of the OpenID Provider's and 应用管理's actions. */
@Configuration(proxyBeanMethods = false)
class OidcAuditLabels {

    @Bean
    static AuditActionLabel oidcAuthorizeLabel() {
        return new AuditActionLabel(OidcAudit.OIDC_AUTHORIZE, "应用授权（单点登录）");
    }

    @Bean
    static AuditActionLabel oidcTokenLabel() {
        return new AuditActionLabel(OidcAudit.OIDC_TOKEN, "签发应用令牌");
    }

    @Bean
    static AuditActionLabel applicationCreatedLabel() {
        return new AuditActionLabel(ApplicationService.APPLICATION_CREATED, "注册应用");
    }

    @Bean
    static AuditActionLabel applicationUpdatedLabel() {
        return new AuditActionLabel(ApplicationService.APPLICATION_UPDATED, "修改应用");
    }

    @Bean
    static AuditActionLabel applicationSecretLabel() {
        return new AuditActionLabel(ApplicationService.APPLICATION_SECRET_RESET, "重置应用密钥");
    }

    @Bean
    static AuditActionLabel signingKeyLabel() {
        return new AuditActionLabel(ApplicationController.SIGNING_KEY_ROTATED, "更换令牌签名密钥");
    }
}

package org.cagate.server.account;

import java.time.Clock;
import java.util.Collection;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Chinese names of roles and account states for pages ({@code ${@accountLabels.roles(a.roles)}}). */
@Component("accountLabels")
public class AccountLabels {

    private final Clock clock;

    AccountLabels(Clock clock) {
        this.clock = clock;
    }

    public String role(Role role) {
        return switch (role) {
            case USER -> "普通用户";
            case ORG_ADMIN -> "单位管理员";
            case PLATFORM_ADMIN -> "平台管理员";
        };
    }

    public String roles(Collection<Role> roles) {
        return roles.stream().sorted().map(this::role).collect(Collectors.joining("、"));
    }

    public String status(Account account) {
        if (account.status() == AccountStatus.DISABLED) {
            return "已停用";
        }
        return account.lockedAt(clock.instant()) ? "已锁定" : "正常";
    }

    public boolean locked(Account account) {
        return account.lockedAt(clock.instant());
    }
}

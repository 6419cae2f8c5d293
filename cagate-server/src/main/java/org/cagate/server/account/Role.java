package org.cagate.server.account;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What an account may do. Every account of an organisation also has USER. */
public enum Role {
    USER,
    ORG_ADMIN,
    PLATFORM_ADMIN;

    /** The Spring Security authority, e.g. {@code ROLE_ORG_ADMIN}. */
    public String authority() {
        return "ROLE_" + name();
    }

    static Set<Role> parse(String csv) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : csv.split(",")) {
            if (!part.isBlank()) {
                roles.add(Role.valueOf(part.trim()));
            }
        }
        return roles;
    }

    static String format(Set<Role> roles) {
        return roles.stream().sorted().map(Role::name).collect(Collectors.joining(","));
    }
}

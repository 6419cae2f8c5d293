package org.cagate.server.account;

import java.time.Instant;
import java.util.List;

/**
 * An account as the JSON API shows it: the fields of {@code GET /api/me} in the wire contract
 * ({@code id, loginName, displayName, organization{id,name}, region{code,name}, roles[]}) plus
 * department, status and lock. Organisation and region are null for an operator outside any
 * organisation.
 */
public record AccountView(
        long id,
        String loginName,
        String displayName,
        OrganizationRef organization,
        RegionRef region,
        DepartmentRef department,
        List<Role> roles,
        AccountStatus status,
        Instant lockedUntil,
        Instant createdAt) {

    public record OrganizationRef(long id, String name) {}

    public record RegionRef(String code, String name) {}

    public record DepartmentRef(long id, String name) {}

    public static AccountView of(Account a) {
        return new AccountView(
                a.id(),
                a.loginName(),
                a.displayName(),
                a.organizationId() == null ? null : new OrganizationRef(a.organizationId(), a.organizationName()),
                a.regionCode() == null ? null : new RegionRef(a.regionCode(), a.regionName()),
                a.departmentId() == null ? null : new DepartmentRef(a.departmentId(), a.departmentName()),
                a.roles().stream().sorted().toList(),
                a.status(),
                a.lockedUntil(),
                a.createdAt());
    }
}

package org.cagate.server.organization;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.util.List;
import org.cagate.server.account.AccountRepository;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/departments}: every member of an organisation reads its departments; its ORG_ADMIN
 * and platform operators change them. Departments of another organisation answer NOT_FOUND.
 */
@RestController
@RequestMapping("/api/departments")
class DepartmentController {

    private final OrganizationRepository organizations;
    private final AccountRepository accounts;
    private final AuditLog audit;
    private final Clock clock;

    DepartmentController(
            OrganizationRepository organizations, AccountRepository accounts, AuditLog audit, Clock clock) {
        this.organizations = organizations;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
    }

    record CreateRequest(
            Long organizationId, @NotBlank @Size(max = 100) String name) {}

    record RenameRequest(@NotBlank @Size(max = 100) String name) {}

    /** Departments of {@code organizationId}, by default the user's own organisation. */
    @GetMapping
    List<Department> list(
            @AuthenticationPrincipal CagateUser user, @RequestParam(required = false) Long organizationId) {
        Long organization = organizationId == null ? user.organizationId() : organizationId;
        if (organization == null) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.organization.required");
        }
        if (!user.belongsToOrManages(organization)) {
            throw new ApiException(ProblemCode.FORBIDDEN);
        }
        return organizations.departments(organization);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    Department create(
            @AuthenticationPrincipal CagateUser user,
            @Valid @RequestBody CreateRequest body,
            HttpServletRequest request) {
        Long organization = body.organizationId() == null ? user.organizationId() : body.organizationId();
        if (organization == null) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.organization.required");
        }
        user.requireManages(organization);
        organizations
                .find(organization)
                .orElseThrow(() -> ApiException.detail(ProblemCode.VALIDATION, "validation.organization.unknown"));
        long id;
        try {
            id = organizations.insertDepartment(organization, body.name().trim(), clock.instant());
        } catch (DuplicateKeyException e) {
            throw ApiException.detail(ProblemCode.CONFLICT, "validation.department.taken");
        }
        record(AuditAction.DEPARTMENT_CREATED, user, organization, body.name(), request);
        return organizations.findDepartment(id).orElseThrow();
    }

    @PutMapping("/{id}")
    @Transactional
    Department rename(
            @AuthenticationPrincipal CagateUser user,
            @PathVariable long id,
            @Valid @RequestBody RenameRequest body,
            HttpServletRequest request) {
        Department department = manageable(user, id);
        try {
            organizations.renameDepartment(id, body.name().trim());
        } catch (DuplicateKeyException e) {
            throw ApiException.detail(ProblemCode.CONFLICT, "validation.department.taken");
        }
        record(AuditAction.DEPARTMENT_UPDATED, user, department.organizationId(), body.name(), request);
        return organizations.findDepartment(id).orElseThrow();
    }

    @DeleteMapping("/{id}")
    @Transactional
    ResponseEntity<Void> delete(
            @AuthenticationPrincipal CagateUser user, @PathVariable long id, HttpServletRequest request) {
        Department department = manageable(user, id);
        if (accounts.anyInDepartment(id)) {
            throw ApiException.detail(ProblemCode.CONFLICT, "validation.department.inUse");
        }
        organizations.deleteDepartment(id);
        record(AuditAction.DEPARTMENT_DELETED, user, department.organizationId(), department.name(), request);
        return ResponseEntity.noContent().build();
    }

    private Department manageable(CagateUser user, long id) {
        Department department =
                organizations.findDepartment(id).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        if (!user.manages(department.organizationId())) {
            throw new ApiException(ProblemCode.NOT_FOUND);
        }
        return department;
    }

    private void record(
            AuditAction action, CagateUser user, long organizationId, String name, HttpServletRequest request) {
        audit.record(AuditEvent.success(action)
                .actor(user.accountId(), user.displayName())
                .organization(organizationId)
                .clientIp(ClientIp.of(request))
                .detail("department=" + name)
                .build());
    }
}

package org.cagate.server.oidc;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.cagate.server.account.Role;

/**
 * The body of {@code POST /api/admin/applications} and {@code PUT /api/admin/applications/{id}}.
 *
 * @param redirectUris exact redirect URIs (no patterns): the authorization server compares them as strings
 * @param regions region codes whose users see the application; empty or absent: all
 * @param roles roles that see it; empty or absent: all
 */
record ApplicationRequest(
        @NotBlank @Size(max = 64) String name,
        @Size(max = 200) String description,
        @Size(max = 500) String iconUrl,
        @NotBlank @Size(max = 500) String homeUrl,
        @NotEmpty @Size(max = 5) List<@NotBlank @Size(max = 190) String> redirectUris,
        @NotNull Boolean caLoginRequired,
        @Size(max = 100) List<@NotBlank @Size(max = 32) String> regions,
        @Size(max = 3) List<@NotNull Role> roles,
        Boolean enabled) {}

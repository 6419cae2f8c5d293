package org.cagate.server.system;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the whole server ({@code cagate.*}). Each feature has its own record under a longer
 * prefix ({@code cagate.auth}, {@code cagate.bootstrap.admin}, ...).
 *
 * @param publicOrigin the origin users reach the platform at, e.g. {@code https://platform.example.gov.cn};
 *     challenges name it and the agent compares it with the page's Origin header
 */
@Validated
@ConfigurationProperties("cagate")
public record CagateProperties(
        @NotNull
        @Pattern(regexp = "https?://[a-z0-9.\\-]+(:[0-9]{1,5})?", message = "must be a lower-case scheme://host[:port]")
        String publicOrigin) {

    public URI publicOriginUri() {
        return URI.create(publicOrigin);
    }
}

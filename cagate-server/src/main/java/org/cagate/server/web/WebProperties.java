package org.cagate.server.web;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Web settings ({@code cagate.web.*}).
 *
 * @param maxJsonBody the largest non-multipart request body accepted
 * @param timeZone the zone pages show times in (the API always answers UTC instants)
 * @param maxJsonDepth the deepest nesting of objects and arrays a JSON body may have (400 beyond)
 * @param headerTimeout how long a client may take to send a request line and headers once it has begun
 *     (408 and the connection closed beyond); Tomcat itself only times out each read
 * @param bodyTimeout how long a client may take to send a non-multipart body (408 beyond)
 * @param tlsTerminated TLS ends at a proxy that does not send X-Forwarded-Proto: treat every request as
 *     https (Secure cookies, HSTS)
 * @param hstsMaxAge the max-age of Strict-Transport-Security, sent on https requests
 */
@ConfigurationProperties("cagate.web")
public record WebProperties(
        @DefaultValue("64KB") DataSize maxJsonBody,
        @DefaultValue("Asia/Shanghai") ZoneId timeZone,
        @DefaultValue("20") int maxJsonDepth,
        @DefaultValue("20s") Duration headerTimeout,
        @DefaultValue("20s") Duration bodyTimeout,
        @DefaultValue("false") boolean tlsTerminated,
        @DefaultValue("365d") Duration hstsMaxAge) {}

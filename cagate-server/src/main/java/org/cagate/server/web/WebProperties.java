package org.cagate.server.web;

import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Web settings ({@code cagate.web.*}).
 *
 * @param maxJsonBody the largest non-multipart request body accepted
 * @param timeZone the zone pages show times in (the API always answers UTC instants)
 */
@ConfigurationProperties("cagate.web")
public record WebProperties(
        @DefaultValue("64KB") DataSize maxJsonBody,
        @DefaultValue("Asia/Shanghai") ZoneId timeZone) {}

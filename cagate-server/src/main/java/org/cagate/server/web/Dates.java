package org.cagate.server.web;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/** Formats instants for pages ({@code ${@dates.format(item.createdAt)}}) in the configured zone. */
@Component("dates")
public class Dates {

    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter date;

    Dates(WebProperties properties) {
        this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(properties.timeZone());
        this.date = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(properties.timeZone());
    }

    public String format(Instant instant) {
        return instant == null ? "-" : dateTime.format(instant);
    }

    public String formatDate(Instant instant) {
        return instant == null ? "-" : date.format(instant);
    }
}

package org.cagate.server.driver;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.cagate.server.web.WebProperties;
import org.springframework.stereotype.Component;

/** How the download pages write sizes and dates: {@code th:text="${@driverText.size(p.size)}"}. */
@Component("driverText")
public class DriverText {

    private final DateTimeFormatter day;

    DriverText(WebProperties web) {
        this.day = DateTimeFormatter.ofPattern("yyyy年MM月dd日").withZone(web.timeZone());
    }

    /** e.g. "12.3 MB", "850 KB", "512 字节". */
    public String size(long bytes) {
        return sizeOf(bytes);
    }

    static String sizeOf(long bytes) {
        if (bytes < 1024) {
            return bytes + " 字节";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }

    /** e.g. "2021年05月06日", as the seed's 最近更新日期. */
    public String day(Instant instant) {
        return instant == null ? "-" : day.format(instant);
    }
}

package org.cagate.server.web;

import java.util.List;
import java.util.Objects;

/**
 * A tab of the 登录 page, contributed as a bean. The page shows the tabs by order; the first is
 * active. The tab's body is the fragment {@code tab} of {@code template}; its scripts are loaded as
 * ES modules after the page's own.
 *
 * <pre>{@code @Bean LoginTab caLoginTab() {
 *     return new LoginTab("ca", "CA 登录", "login/ca-tab", 20, List.of("/js/ca-login.js"));
 * }}</pre>
 */
public record LoginTab(String id, String title, String template, int order, List<String> scripts) {

    public LoginTab {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(template, "template");
        scripts = scripts == null ? List.of() : List.copyOf(scripts);
    }
}

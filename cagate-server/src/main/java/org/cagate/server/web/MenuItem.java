package org.cagate.server.web;

import java.util.Objects;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;

/**
 * An entry of the 系统管理 left menu, contributed as a bean by the feature whose page it opens
 * ("a menu item either works or is not shown"):
 *
 * <pre>{@code @Bean MenuItem caBindingsMenu() {
 *     return new MenuItem("CA管理", "CA绑定与解绑", "/system/ca/bindings", Role.USER, 310);
 * }}</pre>
 *
 * @param group the title of the submenu it belongs to, or null for a top-level entry
 * @param title what the menu shows
 * @param path the page it opens
 * @param role the role a user needs to see it, or null for every signed-in user
 * @param order position: entries and groups sort by order (a group by its smallest)
 */
public record MenuItem(String group, String title, String path, Role role, int order) {

    public MenuItem {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(path, "path");
    }

    public boolean visibleTo(CagateUser user) {
        return user != null && (role == null || user.hasRole(role));
    }
}

package org.cagate.server.web;

import java.util.Objects;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;

/**
 * An application tile of 应用中心, contributed as a bean by the feature that serves it. Only apps
 * the user can open are shown.
 *
 * @param title e.g. 系统管理
 * @param description one line under the title
 * @param path where the tile leads
 * @param role the role a user needs, or null for every signed-in user
 * @param order position among the tiles
 * @param iconUrl the tile's icon, or null
 */
public record AppEntry(String title, String description, String path, Role role, int order, String iconUrl) {

    public AppEntry {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(path, "path");
    }

    public AppEntry(String title, String description, String path, Role role, int order) {
        this(title, description, path, role, order, null);
    }

    public boolean visibleTo(CagateUser user) {
        return user != null && (role == null || user.hasRole(role));
    }
}

package org.cagate.server.web;

import java.util.List;
import org.cagate.server.account.CagateUser;

/**
 * Tiles of 应用中心 that come from data rather than from a feature's fixed {@link AppEntry} bean (the
 * applications registered in 应用管理): the ones the user may open, after the fixed ones.
 */
@FunctionalInterface
public interface AppSource {

    List<AppEntry> appsFor(CagateUser user);
}

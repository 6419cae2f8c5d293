package org.cagate.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cagate.server.account.CagateUser;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * Gives every rendered page what the layout needs (the user for the header, the 系统管理 menu, the
 * current path), so a feature's page controller only adds its own data. Runs only when a view is
 * rendered, so JSON requests pay nothing. It also makes sure the XSRF-TOKEN cookie exists, since the
 * page's JS echoes it on every unsafe call.
 */
@Component
class LayoutInterceptor implements HandlerInterceptor {

    private final Menu menu;

    LayoutInterceptor(Menu menu) {
        this.menu = menu;
    }

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView mav) {
        if (mav == null || (mav.getViewName() != null && mav.getViewName().startsWith("redirect:"))) {
            return;
        }
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            token.getToken(); // loads or creates the token; a new one is written as a cookie
        }
        CagateUser user = currentUser();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        mav.addObject("me", user);
        mav.addObject("currentPath", path);
        if (user != null) {
            mav.addObject("menu", menu.sectionsFor(user));
            if (!mav.getModel().containsKey("pageTitle")) {
                mav.addObject("pageTitle", menu.titleFor(path));
            }
        }
    }

    static CagateUser currentUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof CagateUser user ? user : null;
    }
}

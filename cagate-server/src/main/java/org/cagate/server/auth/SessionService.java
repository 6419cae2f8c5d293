package org.cagate.server.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.cagate.server.account.CagateUser;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.stereotype.Service;

/**
 * Starts, refreshes and ends sessions. Every way of logging in (password, CA login) ends with {@link
 * #signIn}: a new session id (no fixation), a new CSRF token, the {@link CagateUser} and how it logged in
 * ({@link LoginMethod}, as the authentication's details) saved in the session, which Spring Session keeps in the database so any node serves the next
 * request.
 */
@Service
public class SessionService {

    /** How the current session's user logged in, or null (no session, or one from before issue 20). */
    public static LoginMethod loginMethod(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null
                || !(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)
                        instanceof SecurityContext context)) {
            return null;
        }
        Authentication authentication = context.getAuthentication();
        return authentication != null && authentication.getDetails() instanceof LoginMethod method ? method : null;
    }

    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final CsrfTokenRepository csrfTokens;
    private final FindByIndexNameSessionRepository<? extends Session> sessions;
    private final CookieSerializer cookies;

    SessionService(
            CsrfTokenRepository csrfTokens,
            FindByIndexNameSessionRepository<? extends Session> sessions,
            CookieSerializer cookies) {
        this.csrfTokens = csrfTokens;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    /**
     * @param method how the user logged in, kept in the session (the authentication's details) for
     *     the OpenID Provider's claims and step-up
     */
    public void signIn(CagateUser user, LoginMethod method, HttpServletRequest request, HttpServletResponse response) {
        HttpSession existing = request.getSession(false);
        if (existing != null) {
            request.changeSessionId();
        } else {
            request.getSession(true);
        }
        save(user, method, request, response);
        // A token the page had before login must not work after it (login CSRF / token fixation).
        csrfTokens.saveToken(null, request, response);
        csrfTokens.saveToken(csrfTokens.generateToken(request), request, response);
    }

    /**
     * {@link #signIn} for a request that has no session and passes neither Spring Session's filter nor Spring
     * Security's (the CA login's own path, {@code login.CaLoginFastPath}): the session is saved in the
     * repository here, in the caller's transaction when there is one, so the login's audit row and its session
     * commit together. The session holds exactly what {@link #signIn} would have saved; send its cookie with
     * {@link #sendNew} once the transaction has committed.
     *
     * @return the new session's id
     */
    public String createSession(CagateUser user, LoginMethod method) {
        return create(sessions, context(user, method));
    }

    /** Whether the request names a session, as Spring Session reads its cookie (valid or not). */
    public boolean hasSessionCookie(HttpServletRequest request) {
        return !cookies.readCookieValues(request).isEmpty();
    }

    private static <S extends Session> String create(
            FindByIndexNameSessionRepository<S> repository, SecurityContext context) {
        S session = repository.createSession();
        session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
        repository.save(session);
        return session.getId();
    }

    /**
     * The cookies of a session made by {@link #createSession}: the session cookie as Spring Session writes it,
     * and a new CSRF token in place of the one the page had before the login (login CSRF / token fixation).
     */
    public void sendNew(String sessionId, HttpServletRequest request, HttpServletResponse response) {
        cookies.writeCookieValue(new CookieSerializer.CookieValue(request, response, sessionId));
        csrfTokens.saveToken(null, request, response);
        csrfTokens.saveToken(csrfTokens.generateToken(request), request, response);
    }

    /** Replaces the principal of the current session, e.g. after the user changed their name. */
    public void refresh(CagateUser user, HttpServletRequest request, HttpServletResponse response) {
        if (request.getSession(false) != null) {
            save(user, loginMethod(request), request, response);
        }
    }

    public void signOut(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        holder.clearContext();
        csrfTokens.saveToken(null, request, response);
    }

    /**
     * Ends every session of an account except {@code keepSessionId} (may be null), e.g. after it was
     * disabled, its roles changed or its password was reset. Uses Spring Session's principal index.
     */
    public void revokeAll(String loginName, String keepSessionId) {
        for (String id : sessions.findByPrincipalName(loginName).keySet()) {
            if (!id.equals(keepSessionId)) {
                sessions.deleteById(id);
            }
        }
    }

    /**
     * The principal and how it logged in, in the one session attribute Spring Security keeps (the login
     * method as the authentication's details): a login writes one attribute row, not two.
     */
    private void save(CagateUser user, LoginMethod method, HttpServletRequest request, HttpServletResponse response) {
        SecurityContext context = context(user, method);
        holder.setContext(context);
        contexts.saveContext(context, request, response);
    }

    private SecurityContext context(CagateUser user, LoginMethod method) {
        SecurityContext context = holder.createEmptyContext();
        UsernamePasswordAuthenticationToken authentication =
                UsernamePasswordAuthenticationToken.authenticated(user, null, user.authorities());
        authentication.setDetails(method);
        context.setAuthentication(authentication);
        return context;
    }
}

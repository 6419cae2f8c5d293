package org.cagate.server.system;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The client's address as the servlet container sees it. Behind a load balancer, set
 * {@code server.forward-headers-strategy=native} so Tomcat takes it from X-Forwarded-For sent by
 * trusted proxies only; this class never reads forwarding headers itself, so a client cannot spoof it.
 */
public final class ClientIp {

    private ClientIp() {}

    public static String of(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        return address == null ? "unknown" : address;
    }
}

package org.cagate.pki.revocation;

import java.io.IOException;
import java.net.URI;

/**
 * The one place revocation data comes from the network. Implementations bound every call by time and
 * size; tests substitute a loopback server, never this interface's behaviour.
 */
public interface HttpFetcher {

    /** The body of a GET; an answer other than 200, a slow or a too-long one is an IOException. */
    byte[] get(URI uri, String accept, int maxBytes) throws IOException;

    /** The body of a POST with the given body. */
    byte[] post(URI uri, String contentType, byte[] body, String accept, int maxBytes) throws IOException;

    /** Plain HTTP(S) through {@link java.net.HttpURLConnection} with the given limits. */
    static HttpFetcher create(java.time.Duration connectTimeout, java.time.Duration readTimeout) {
        return new UrlConnectionFetcher(connectTimeout, readTimeout);
    }
}

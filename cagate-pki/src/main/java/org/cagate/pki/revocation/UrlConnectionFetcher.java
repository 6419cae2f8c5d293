package org.cagate.pki.revocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * {@link HttpFetcher} over {@link HttpURLConnection}: a connect timeout, a read timeout that also bounds
 * the whole body (a server dripping one byte at a time is cut off), a byte limit, no redirects (a CA's
 * CRL and OCSP URLs are published and fixed; following them would let an answer point anywhere).
 */
final class UrlConnectionFetcher implements HttpFetcher {
    private final Duration connectTimeout;
    private final Duration readTimeout;

    UrlConnectionFetcher(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    }

    @Override
    public byte[] get(URI uri, String accept, int maxBytes) throws IOException {
        HttpURLConnection connection = open(uri, accept);
        connection.setRequestMethod("GET");
        return read(uri, connection, maxBytes);
    }

    @Override
    public byte[] post(URI uri, String contentType, byte[] body, String accept, int maxBytes) throws IOException {
        HttpURLConnection connection = open(uri, accept);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", contentType);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        return read(uri, connection, maxBytes);
    }

    private HttpURLConnection open(URI uri, String accept) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("not an http(s) URL: " + uri);
        }
        URLConnection opened = uri.toURL().openConnection();
        HttpURLConnection connection = (HttpURLConnection) opened;
        connection.setConnectTimeout(millis(connectTimeout));
        connection.setReadTimeout(millis(readTimeout));
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestProperty("Accept", accept);
        return connection;
    }

    private byte[] read(URI uri, HttpURLConnection connection, int maxBytes) throws IOException {
        long deadline = System.nanoTime() + readTimeout.toNanos();
        try {
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException(uri + " answered " + status);
            }
            long declared = connection.getContentLengthLong();
            if (declared > maxBytes) {
                throw new IOException(uri + " declares " + declared + " bytes, limit " + maxBytes);
            }
            try (InputStream in = connection.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (out.size() + n > maxBytes) {
                        throw new IOException(uri + " sent more than " + maxBytes + " bytes");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException(uri + " took longer than " + readTimeout);
                    }
                    out.write(buffer, 0, n);
                }
                return out.toByteArray();
            }
        } finally {
            connection.disconnect();
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }
}

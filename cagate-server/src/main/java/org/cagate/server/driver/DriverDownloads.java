package org.cagate.server.driver;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.HttpAuthorization;
import org.cagate.server.web.ProblemCode;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

/**
 * Downloads (public: people fetch the driver before they can log in). Every answer carries
 * Content-Length, Content-Disposition with the UTF-8 file name, ETag = the SHA-256 (so If-None-Match
 * answers 304), {@code X-Checksum-SHA256} (hex) and {@code Repr-Digest} (RFC 9530); HEAD answers the
 * same headers without reading the bytes. Uploaded packages stream from the database a chunk at a time;
 * the agent comes from memory. Retired or unknown packages, and a file name that is not the package's,
 * are NOT_FOUND.
 */
@Controller
class DriverDownloads {

    private final DriverPackageRepository repository;
    private final AgentPackage agent;
    private final AgentDebPackage agentDeb;

    DriverDownloads(DriverPackageRepository repository, AgentPackage agent, AgentDebPackage agentDeb) {
        this.repository = repository;
        this.agent = agent;
        this.agentDeb = agentDeb;
    }

    @Bean
    static HttpAuthorization driverDownloadsPublic() {
        return rules -> rules.requestMatchers(HttpMethod.GET, "/drivers/packages/**", "/drivers/agent/**")
                .permitAll()
                .requestMatchers(HttpMethod.HEAD, "/drivers/packages/**", "/drivers/agent/**")
                .permitAll();
    }

    static String packagePath(long id, String fileName) {
        return "/drivers/packages/" + id + "/" + encode(fileName);
    }

    static String agentPath(String fileName) {
        return "/drivers/agent/" + encode(fileName);
    }

    @RequestMapping(
            path = "/drivers/packages/{id}/{fileName}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    void uploaded(
            @PathVariable long id,
            @PathVariable String fileName,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        DriverPackage found = repository
                .find(id)
                .filter(p -> !p.retired() && p.fileName().equals(fileName))
                .orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        if (!headers(request, response, found.fileName(), found.kind().mediaType(), found.size(), found.sha256())) {
            return;
        }
        OutputStream out = response.getOutputStream();
        int chunks =
                (int) ((found.size() + DriverPackageRepository.CHUNK_BYTES - 1) / DriverPackageRepository.CHUNK_BYTES);
        for (int seq = 0; seq < chunks; seq++) {
            // Retired while being downloaded: the connection ends short of Content-Length, which clients notice.
            byte[] chunk = repository
                    .chunk(id, seq)
                    .orElseThrow(() -> new IOException("package " + id + " was retired during a download"));
            out.write(chunk);
        }
    }

    @RequestMapping(
            path = "/drivers/agent/{fileName}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    void agent(@PathVariable String fileName, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        boolean deb = fileName.endsWith(".deb");
        AgentPackage.Served served = (deb ? agentDeb.current() : agent.current())
                .filter(a -> a.fileName().equals(fileName))
                .orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        String type = deb ? AgentDebPackage.MEDIA_TYPE : "application/zip";
        if (headers(request, response, served.fileName(), type, served.size(), served.sha256())) {
            response.getOutputStream().write(served.bytes());
        }
    }

    /** Sets the headers; true when the body should follow (GET, and not already held by the client). */
    private static boolean headers(
            HttpServletRequest request,
            HttpServletResponse response,
            String fileName,
            String type,
            long size,
            String sha256) {
        String etag = "\"" + sha256 + "\"";
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        response.setHeader("X-Checksum-SHA256", sha256);
        response.setHeader(
                "Repr-Digest",
                "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)) + ":");
        if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return false;
        }
        response.setContentType(type);
        response.setContentLengthLong(size);
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment()
                        .filename(fileName, StandardCharsets.UTF_8)
                        .build()
                        .toString());
        return !"HEAD".equals(request.getMethod());
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

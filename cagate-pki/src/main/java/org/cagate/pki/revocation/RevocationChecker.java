package org.cagate.pki.revocation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.cagate.pki.PkiException;
import org.cagate.pki.Reason;
import org.cagate.pki.RevocationPolicy;

/**
 * Decides whether a certificate may be used, by the provider's {@link RevocationPolicy}; {@link CrlSource}
 * and {@link OcspClient} fetch and verify. CRL URLs are the configured ones, then the certificate's CRL
 * distribution points; the OCSP responder is the configured one, else the certificate's AIA. Revoked is
 * always refused, and so is an OCSP "unknown" (RFC 6960 2.2: the responder does not know the certificate,
 * e.g. one made with a stolen issuing key, which no CRL of that CA lists), under every policy: only an
 * unreachable responder or an unusable answer falls back to the CRL. No answer is refused unless the
 * policy fails open.
 *
 * <p>A URL read from the certificate is fetched only when the provider's configuration allows it: its
 * host and port are those of a configured URL, or its host is among the policy's {@code fetchHosts} and
 * it resolves to no loopback, link-local, private or other internal address (unless {@code
 * fetchPrivateAddresses}). A CA's mistake or a stolen issuing key cannot point the server at internal
 * addresses. Configured URLs are the operator's choice and are fetched as they are.
 */
public final class RevocationChecker {
    private final CrlSource crls;
    private final OcspClient ocsp;
    /** Where each certificate says to ask, read once per certificate object (weak keys: by identity). */
    private final Cache<X509Certificate, Sources> sources = Caffeine.newBuilder()
            .executor(Runnable::run)
            .weakKeys()
            .maximumSize(10_000)
            .build();

    private record Sources(List<URI> crlDistributionPoints, URI ocsp) {}

    /** Resolves a host name to its addresses; a seam for tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Consumer<RevocationFetch> observer;
    private final Resolver resolver;

    public RevocationChecker(CrlSource crls, OcspClient ocsp) {
        this(crls, ocsp, fetch -> {}, InetAddress::getAllByName);
    }

    /**
     * @param observer told of every source considered, fetched or not (called on the checking thread)
     * @param resolver how host names of certificate URLs are resolved for the internal-address check
     */
    public RevocationChecker(CrlSource crls, OcspClient ocsp, Consumer<RevocationFetch> observer, Resolver resolver) {
        this.crls = Objects.requireNonNull(crls, "crls");
        this.ocsp = Objects.requireNonNull(ocsp, "ocsp");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Plain HTTP with 5 s connect and 10 s read timeouts, CRLs refetched at most once a minute. */
    public static RevocationChecker create(Clock clock, SecureRandom random) {
        return create(clock, random, fetch -> {});
    }

    /** As {@link #create(Clock, SecureRandom)}, telling {@code observer} of every source considered. */
    public static RevocationChecker create(Clock clock, SecureRandom random, Consumer<RevocationFetch> observer) {
        HttpFetcher fetcher = HttpFetcher.create(Duration.ofSeconds(5), Duration.ofSeconds(10));
        return new RevocationChecker(
                new CrlSource(fetcher, clock),
                new OcspClient(fetcher, clock, random),
                observer,
                InetAddress::getAllByName);
    }

    /**
     * @param issuer the certificate that signed {@code certificate} (from the validated path)
     * @throws PkiException {@link Reason#CERT_REVOKED}, or {@link Reason#REVOCATION_UNAVAILABLE} under a
     *     fail-closed policy
     */
    public RevocationStatus check(X509Certificate certificate, X509Certificate issuer, RevocationPolicy policy)
            throws PkiException {
        if (policy.mode() == RevocationPolicy.Mode.NONE) {
            return RevocationStatus.NOT_CHECKED;
        }
        List<String> failures = new ArrayList<>();
        if (policy.mode() == RevocationPolicy.Mode.OCSP || policy.mode() == RevocationPolicy.Mode.OCSP_THEN_CRL) {
            RevocationStatus good = byOcsp(certificate, issuer, policy, failures);
            if (good != null) {
                return good;
            }
        }
        if (policy.mode() == RevocationPolicy.Mode.CRL || policy.mode() == RevocationPolicy.Mode.OCSP_THEN_CRL) {
            RevocationStatus good = byCrl(certificate, issuer, policy, failures);
            if (good != null) {
                return good;
            }
        }
        String detail = String.join("; ", failures);
        if (policy.failOpen()) {
            return new RevocationStatus(RevocationStatus.Outcome.UNAVAILABLE_ACCEPTED, null, detail);
        }
        throw new PkiException(Reason.REVOCATION_UNAVAILABLE, detail);
    }

    private RevocationStatus byOcsp(
            X509Certificate certificate, X509Certificate issuer, RevocationPolicy policy, List<String> failures)
            throws PkiException {
        boolean fromCertificate = policy.ocspUrl() == null;
        URI responder = fromCertificate ? sources(certificate).ocsp() : policy.ocspUrl();
        if (responder == null) {
            failures.add("no OCSP responder configured or in the certificate");
            return null;
        }
        if (fromCertificate && !allowed(responder, RevocationFetch.Kind.OCSP, policy, failures)) {
            return null;
        }
        try {
            OcspAnswer answer = ocsp.status(certificate, issuer, responder);
            observer.accept(new RevocationFetch(
                    responder, RevocationFetch.Kind.OCSP, fromCertificate, RevocationFetch.Outcome.ANSWERED, null));
            switch (answer.status()) {
                case GOOD -> {
                    return new RevocationStatus(RevocationStatus.Outcome.GOOD_BY_OCSP, responder.toString(), null);
                }
                case REVOKED ->
                    throw new PkiException(
                            Reason.CERT_REVOKED,
                            "revoked at " + answer.revokedAt() + " (reason " + answer.reason() + ") per OCSP "
                                    + responder);
                default ->
                    throw new PkiException(
                            Reason.CERT_UNTRUSTED,
                            "OCSP " + responder + " answers unknown: the CA does not know it issued this certificate");
            }
        } catch (PkiException e) {
            if (e.reason() != Reason.REVOCATION_UNAVAILABLE) {
                throw e;
            }
            observer.accept(new RevocationFetch(
                    responder,
                    RevocationFetch.Kind.OCSP,
                    fromCertificate,
                    RevocationFetch.Outcome.FAILED,
                    e.getMessage()));
            failures.add(e.getMessage());
            return null;
        }
    }

    private RevocationStatus byCrl(
            X509Certificate certificate, X509Certificate issuer, RevocationPolicy policy, List<String> failures)
            throws PkiException {
        Set<URI> urls = new LinkedHashSet<>(policy.crlUrls());
        urls.addAll(sources(certificate).crlDistributionPoints());
        if (urls.isEmpty()) {
            failures.add("no CRL URL configured or in the certificate");
            return null;
        }
        for (URI url : urls) {
            boolean fromCertificate = !policy.crlUrls().contains(url);
            if (fromCertificate && !allowed(url, RevocationFetch.Kind.CRL, policy, failures)) {
                continue;
            }
            Crl crl;
            try {
                crl = crls.crl(url, issuer);
            } catch (PkiException e) {
                observer.accept(new RevocationFetch(
                        url,
                        RevocationFetch.Kind.CRL,
                        fromCertificate,
                        RevocationFetch.Outcome.FAILED,
                        e.getMessage()));
                failures.add(e.getMessage());
                continue;
            }
            observer.accept(new RevocationFetch(
                    url, RevocationFetch.Kind.CRL, fromCertificate, RevocationFetch.Outcome.ANSWERED, null));
            var entry = crl.revocation(certificate.getSerialNumber());
            if (entry.isPresent()) {
                throw new PkiException(
                        Reason.CERT_REVOKED,
                        "revoked at " + entry.get().revokedAt() + " (reason "
                                + entry.get().reason() + ") per CRL " + url);
            }
            return new RevocationStatus(RevocationStatus.Outcome.GOOD_BY_CRL, url.toString(), null);
        }
        return null;
    }

    /** Whether a URL read from the certificate may be fetched under the policy; says why not in failures. */
    private boolean allowed(URI url, RevocationFetch.Kind kind, RevocationPolicy policy, List<String> failures) {
        String refusal = refusal(url, policy);
        if (refusal == null) {
            return true;
        }
        String detail = kind + " " + url + " from the certificate not fetched: " + refusal;
        observer.accept(new RevocationFetch(url, kind, true, RevocationFetch.Outcome.NOT_ALLOWED, refusal));
        failures.add(detail);
        return false;
    }

    private String refusal(URI url, RevocationPolicy policy) {
        List<URI> configured = new ArrayList<>(policy.crlUrls());
        if (policy.ocspUrl() != null) {
            configured.add(policy.ocspUrl());
        }
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        for (URI c : configured) {
            if (host.equals(c.getHost().toLowerCase(Locale.ROOT)) && port(url) == port(c)) {
                return null; // the server of a configured URL: the operator chose it
            }
        }
        boolean listed = policy.fetchHosts().stream()
                .anyMatch(allowed -> allowed.startsWith("*.")
                        ? host.endsWith(allowed.substring(1)) && host.length() > allowed.length() - 1
                        : allowed.equals(host));
        if (!listed) {
            return "host " + host + " is neither that of a configured URL nor in the provider's allowed hosts";
        }
        if (policy.fetchPrivateAddresses()) {
            return null;
        }
        try {
            for (InetAddress address :
                    resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)) {
                if (internal(address)) {
                    return "host " + host + " resolves to the internal address " + address.getHostAddress();
                }
            }
        } catch (UnknownHostException e) {
            return "host " + host + " does not resolve";
        }
        return null;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Loopback, link-local, private (RFC 1918, fc00::/7), shared (100.64/10), unspecified or multicast. */
    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 169 && second == 254);
        }
        return address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
    }

    private Sources sources(X509Certificate certificate) {
        return this.sources.get(certificate, c -> new Sources(crlDistributionPoints(c), aiaOcsp(c)));
    }

    /** The http(s) full-name URIs of the certificate's CRL distribution points. */
    static List<URI> crlDistributionPoints(X509Certificate certificate) {
        List<URI> urls = new ArrayList<>();
        try {
            ASN1Primitive value = extension(certificate, Extension.cRLDistributionPoints.getId());
            if (value == null) {
                return urls;
            }
            for (DistributionPoint point : CRLDistPoint.getInstance(value).getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName general :
                            GeneralNames.getInstance(name.getName()).getNames()) {
                        httpUri(general).ifPresent(urls::add);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable extension gives no URL; the configured URLs may still answer.
        }
        return urls;
    }

    static URI aiaOcsp(X509Certificate certificate) {
        try {
            ASN1Primitive value = extension(certificate, Extension.authorityInfoAccess.getId());
            if (value == null) {
                return null;
            }
            for (AccessDescription description :
                    AuthorityInformationAccess.getInstance(value).getAccessDescriptions()) {
                if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                    var uri = httpUri(description.getAccessLocation());
                    if (uri.isPresent()) {
                        return uri.get();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // As above: no usable responder in the certificate.
        }
        return null;
    }

    private static ASN1Primitive extension(X509Certificate certificate, String oid) throws IOException {
        byte[] value = certificate.getExtensionValue(oid);
        return value == null
                ? null
                : ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(value).getOctets());
    }

    private static java.util.Optional<URI> httpUri(GeneralName name) {
        if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
            return java.util.Optional.empty();
        }
        try {
            URI uri = new URI(name.getName().toString());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return scheme.equals("http") || scheme.equals("https")
                    ? java.util.Optional.of(uri)
                    : java.util.Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }
}

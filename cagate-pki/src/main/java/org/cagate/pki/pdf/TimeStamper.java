package org.cagate.pki.pdf;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.cagate.pki.revocation.HttpFetcher;

/**
 * Fetches an RFC 3161 time-stamp token over a signature value (PAdES B-T): a SHA-256 imprint, a nonce,
 * the TSA's certificate requested. Only fetching and the answer's match to the request happen here;
 * {@link PdfVerifier} checks the token again when the PDF is verified.
 */
public final class TimeStamper {
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final URI url;
    private final HttpFetcher http;
    private final SecureRandom random;

    public TimeStamper(URI url, HttpFetcher http, SecureRandom random) {
        this.url = Objects.requireNonNull(url, "url");
        this.http = Objects.requireNonNull(http, "http");
        this.random = Objects.requireNonNull(random, "random");
    }

    public URI url() {
        return url;
    }

    /** The DER TimeStampToken (a CMS ContentInfo) over SHA-256 of {@code signatureValue}. */
    public byte[] timeStamp(byte[] signatureValue) throws IOException {
        byte[] imprint = PdfSigner.digest("SHA-256", signatureValue);
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request =
                generator.generate(NISTObjectIdentifiers.id_sha256, imprint, new BigInteger(64, random));
        byte[] answer = http.post(
                url,
                "application/timestamp-query",
                request.getEncoded(),
                "application/timestamp-reply",
                MAX_ANSWER_BYTES);
        try {
            TimeStampResponse response = new TimeStampResponse(answer);
            response.validate(request);
            TimeStampToken token = response.getTimeStampToken();
            if (token == null) {
                throw new IOException(
                        "the TSA refused: status " + response.getStatus() + " " + response.getStatusString());
            }
            if (!Arrays.equals(token.getTimeStampInfo().getMessageImprintDigest(), imprint)) {
                throw new IOException("the TSA stamped another imprint");
            }
            return token.getEncoded();
        } catch (TSPException | RuntimeException e) {
            throw new IOException("the TSA's answer is not a valid time-stamp response: " + e.getMessage(), e);
        }
    }
}

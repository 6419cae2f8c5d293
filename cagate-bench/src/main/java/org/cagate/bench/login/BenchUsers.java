package org.cagate.bench.login;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.cagate.pki.CertificateDetails;
import org.cagate.pki.Certificates;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.PkiException;
import org.cagate.pki.sign.Signer;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;

/**
 * The simulated users: one account each, with an ECDSA P-256 key of the benchmark's test CA bound to it.
 *
 * <p>Binding 20,000 keys through {@code POST /api/ca/bindings} would take a password login (bcrypt) per
 * account and longer than the benchmark, so {@link #store} writes the accounts and bindings with SQL
 * instead: the same rows the API writes (key id by the provider's identity rule SPKI_SHA256, certificate
 * details as cagate-pki reads them, bound by the operator), without the binding's audit events. Each
 * account's password hash is a real bcrypt hash of a random password nobody knows.
 */
final class BenchUsers {

    /**
     * A user who logs in: the account, the address it logs in from, its key as the agent holds it
     * ({@code signer}) and as the load generator signs with it ({@code loginKey}, {@link ChallengeSigner}).
     */
    record User(
            String loginName,
            String clientIp,
            String tokenSerial,
            Credential credential,
            Signer signer,
            ECPrivateKeyParameters loginKey,
            String loginFields,
            byte[] loginFieldBytes) {}

    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final int BATCH = 1000;

    private BenchUsers() {}

    /**
     * Issues {@code count} users on {@code threads} threads. Client addresses come from 198.18.0.0/15, the
     * range set aside for benchmarks (RFC 2544): they only appear in X-Forwarded-For, nothing is sent there.
     */
    static List<User> issue(TestCa ca, int count, int threads) throws Exception {
        if (count < 1 || count > 131_072) {
            throw new IllegalArgumentException("between 1 and 131072 users (one address of 198.18.0.0/15 each)");
        }
        List<X509Certificate> intermediates =
                ca.caCertificates().subList(0, ca.caCertificates().size() - 1);
        String chain = intermediates.stream()
                .map(c -> Json.string(BASE64.encodeToString(Certificates.der(c))))
                .reduce((a, b) -> a + "," + b)
                .orElse("");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<User>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> user(ca, n, intermediates, chain)));
            }
            List<User> users = new ArrayList<>(count);
            for (Future<User> f : futures) {
                users.add(f.get());
            }
            return users;
        } finally {
            pool.shutdownNow();
        }
    }

    private static User user(TestCa ca, int n, List<X509Certificate> intermediates, String chain) {
        Credential credential = ca.user("投标人" + n).organization("培训省投标单位").issue();
        String loginName = String.format("bench-%06d", n);
        String ip = "198." + (18 + (n >> 16)) + "." + ((n >> 8) & 255) + "." + (n & 255);
        String tokenSerial = String.format("3304%011dSE", n);
        Signer signer = Signer.of(credential.keyPair().getPrivate(), credential.certificate())
                .chain(intermediates);
        // Everything of the assertion but challengeId and signature, as the agent answers it.
        String fields =
                "\"format\":\"RAW\",\"algorithm\":\"" + signer.algorithm().wireName() + "\",\"certificate\":"
                        + Json.string(BASE64.encodeToString(Certificates.der(credential.certificate())))
                        + ",\"chain\":[" + chain + "],\"tokenSerial\":" + Json.string(tokenSerial);
        ECPrivateKeyParameters loginKey =
                ChallengeSigner.key(credential.keyPair().getPrivate(), credential.certificate());
        return new User(
                loginName,
                ip,
                tokenSerial,
                credential,
                signer,
                loginKey,
                fields,
                fields.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Writes the users' accounts (organisation {@code organizationId}) and bindings to {@code providerCode}. */
    static void store(
            String jdbcUrl,
            List<User> users,
            long organizationId,
            String providerCode,
            String operatorLogin,
            Instant now,
            SecureRandom random)
            throws SQLException, PkiException {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        char[] password = new char[24];
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('!' + random.nextInt(94));
        }
        String hash = OpenBSDBCrypt.generate("2a", password, salt, 10);
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            db.setAutoCommit(false);
            try (PreparedStatement account = db.prepareStatement("""
                    INSERT INTO account (login_name, display_name, password_hash, organization_id, roles, status,
                        failed_logins, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 'USER', 'ACTIVE', 0, ?, ?)""")) {
                for (int i = 0; i < users.size(); i++) {
                    User u = users.get(i);
                    account.setString(1, u.loginName());
                    account.setString(2, "投标人" + i);
                    account.setString(3, hash);
                    account.setLong(4, organizationId);
                    account.setObject(5, at);
                    account.setObject(6, at);
                    account.addBatch();
                    if ((i + 1) % BATCH == 0) {
                        account.executeBatch();
                    }
                }
                account.executeBatch();
            }
            try (PreparedStatement binding = db.prepareStatement("""
                    INSERT INTO ca_binding (account_id, organization_id, provider_code, key_id, active_key_id, active,
                        token_serial, cert_serial, cert_subject, cert_issuer, cert_not_before, cert_not_after,
                        cert_sha256, bound_by, bound_at)
                    SELECT a.id, a.organization_id, ?, ?, ?, TRUE, ?, ?, ?, ?, ?, ?, ?,
                           (SELECT id FROM account WHERE login_name = ?), ?
                      FROM account a WHERE a.login_name = ?""")) {
                for (int i = 0; i < users.size(); i++) {
                    User u = users.get(i);
                    X509Certificate certificate = u.credential().certificate();
                    String keyId = IdentityRule.SPKI_SHA256.keyId(certificate).value();
                    CertificateDetails c = CertificateDetails.of(certificate);
                    binding.setString(1, providerCode);
                    binding.setString(2, keyId);
                    binding.setString(3, keyId);
                    binding.setString(4, u.tokenSerial());
                    binding.setString(5, c.serialNumber());
                    binding.setString(6, c.subject());
                    binding.setString(7, c.issuer());
                    binding.setObject(8, OffsetDateTime.ofInstant(c.notBefore(), ZoneOffset.UTC));
                    binding.setObject(9, OffsetDateTime.ofInstant(c.notAfter(), ZoneOffset.UTC));
                    binding.setString(10, c.sha256());
                    binding.setString(11, operatorLogin);
                    binding.setObject(12, at);
                    binding.setString(13, u.loginName());
                    binding.addBatch();
                    if ((i + 1) % BATCH == 0) {
                        binding.executeBatch();
                    }
                }
                binding.executeBatch();
            }
            db.commit();
            db.setAutoCommit(true);
            try (Statement analyze = db.createStatement()) {
                analyze.execute("ANALYZE account");
                analyze.execute("ANALYZE ca_binding");
            }
        }
    }
}

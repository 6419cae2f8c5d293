package org.cagate.testca.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cagate.testca.Pem;
import org.cagate.testca.softskf.SoftSkf;
import org.cagate.testca.softskf.SoftSkfDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "softskf",
        description = "Put a key and its certificate, made by any tool (openssl, a CA's own software), into a soft"
                + " SKF token (a TEST \"USB key\" for the GM/T 0016 SKF API): a new device with its serial, an"
                + " application with the user PIN, a container with the key.")
final class SoftSkfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--skf-dir", required = true, description = "Soft SKF folder (the library and devices/).")
    Path skfDir;

    @Option(names = "--device", required = true, description = "Device name, e.g. SCCA-KEY.")
    String device;

    @Option(names = "--serial", required = true, description = "Serial the device reports (CA锁ID, up to 32 ASCII).")
    String serial;

    @Option(names = "--application", defaultValue = "GM_APP", description = "Application name (default GM_APP).")
    String application;

    @Option(names = "--pin", required = true, description = "User PIN (4 to 64 characters).")
    String pin;

    @Option(names = "--max-retries", defaultValue = "6", description = "Wrong PINs before the PIN locks (default 6).")
    int maxRetries;

    @Option(names = "--container", defaultValue = "SIGN", description = "Container name (default SIGN).")
    String container;

    @Option(names = "--key", required = true, description = "The private key: unencrypted PKCS#8 PEM (SM2 or RSA).")
    Path key;

    @Option(names = "--cert", required = true, description = "Its certificate, PEM or DER.")
    Path certificate;

    @Override
    public Integer call() throws Exception {
        byte[] keyPem = Files.readAllBytes(key);
        if (!new String(keyPem, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(key + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY);"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in " + key);
        }
        byte[] cert = Files.readAllBytes(certificate);
        List<byte[]> pem = Pem.blocks(new String(cert, java.nio.charset.StandardCharsets.US_ASCII), "CERTIFICATE");
        byte[] der = pem.isEmpty() ? cert : pem.get(0);
        SoftSkf skf = SoftSkf.create(skfDir);
        SoftSkfDevice created = skf.device(device, serial);
        created.application(application, pin, maxRetries).container(container, keyPem, der);
        var out = spec.commandLine().getOut();
        out.println("library: " + skf.library());
        out.println("device: " + created.folder() + " serial " + serial);
        out.println("agent: provider.<CODE>.backend=skf, provider.<CODE>.skf.library=" + skf.library());
        out.flush();
        return 0;
    }
}

package dev.fanout.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.types.Password;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for tests of TLS: it issues certificates for {@code localhost} and
 * {@code 127.0.0.1} that serve both as server and as client certificates, and writes them as PKCS12 key
 * stores. Every store of one authority has the same random password.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create(dir, "fanout-test-ca");
 * Path broker = pki.keystore("fanout-broker");   // principal User:CN=fanout-broker on an mTLS listener
 * Path trust = pki.truststore();
 * }</pre>
 */
public final class TestPki {

    public static final String STORE_TYPE = "PKCS12";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Duration VALIDITY = Duration.ofDays(2);

    private final Path dir;
    private final String name;
    private final Password password;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final AtomicLong serial = new AtomicLong(1);

    private TestPki(Path dir, String name, Password password, KeyPair caKeys, X509Certificate caCertificate) {
        this.dir = dir;
        this.name = name;
        this.password = password;
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
    }

    /** A new authority named {@code CN=name}, writing its stores under {@code dir}. */
    public static TestPki create(Path dir, String name) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(name, "name");
        try {
            Files.createDirectories(dir);
            KeyPair keys = newKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder builder = certificateBuilder(subject, BigInteger.ONE, subject, keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate certificate = sign(builder, keys);
            String password = UUID.randomUUID().toString().replace("-", "");
            return new TestPki(dir, name, new Password(password), keys, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a test certificate authority: " + e.getMessage(), e);
        }
    }

    /** The password of every store this authority writes. */
    public Password password() {
        return password;
    }

    /** A PKCS12 store that trusts this authority, written once per call. */
    public Path truststore() {
        try {
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(null, null);
            store.setCertificateEntry(name, caCertificate);
            return write(store, name + "-truststore.p12");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write the truststore of " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * A PKCS12 key store holding a new key and a certificate for {@code CN=commonName} signed by this
     * authority, valid for {@code localhost} and {@code 127.0.0.1}.
     */
    public Path keystore(String commonName) {
        Objects.requireNonNull(commonName, "commonName");
        try {
            KeyPair keys = newKeyPair();
            X509v3CertificateBuilder builder = certificateBuilder(new X500Name("CN=" + name),
                    BigInteger.valueOf(serial.incrementAndGet()), new X500Name("CN=" + commonName), keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate certificate = sign(builder, caKeys);
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(null, null);
            store.setKeyEntry(commonName, keys.getPrivate(), password.value().toCharArray(),
                    new Certificate[] {certificate, caCertificate});
            return write(store, commonName + "-keystore.p12");
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    private Path write(KeyStore store, String fileName) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.value().toCharArray());
        }
        return file;
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder certificateBuilder(X500Name issuer, BigInteger serial, X500Name subject,
            KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws OperatorCreationException, GeneralSecurityException, CertIOException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(issuerKeys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }
}

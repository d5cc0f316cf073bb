package dev.fanout.registry.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.types.Password;

/**
 * HTTPS for the embedded registry: its key and certificate, and, when clients must (or may) present
 * certificates, the authorities it trusts for them. The settings are Confluent Schema Registry's
 * {@code ssl.*} ones.
 *
 * @param keystore         the registry's key and certificate
 * @param keystorePassword password of the keystore
 * @param keyPassword      password of the key; empty means the keystore's
 * @param keystoreType     such as {@code PKCS12} or {@code JKS}
 * @param truststore       the authorities of client certificates; needed unless client authentication is NONE
 * @param clientAuthentication whether clients present certificates
 */
public record RegistryTls(Path keystore, Password keystorePassword, Optional<Password> keyPassword, String keystoreType,
                          Optional<TrustStore> truststore, ClientAuthentication clientAuthentication) {

    /** Confluent's {@code ssl.client.authentication} values. */
    public enum ClientAuthentication { NONE, REQUESTED, REQUIRED }

    /** A truststore file, its password and type. */
    public record TrustStore(Path location, Password password, String type) {
        public TrustStore {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(type, "type");
        }
    }

    public RegistryTls {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
        Objects.requireNonNull(keyPassword, "keyPassword");
        Objects.requireNonNull(keystoreType, "keystoreType");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(clientAuthentication, "clientAuthentication");
        if (clientAuthentication != ClientAuthentication.NONE && truststore.isEmpty()) {
            throw new IllegalArgumentException("ssl.client.authentication " + clientAuthentication + " needs "
                    + "ssl.truststore.location: the authorities whose client certificates the registry accepts");
        }
    }

    SSLContext sslContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keystore, keystorePassword, keystoreType, "ssl.keystore.location"),
                    keyPassword.orElse(keystorePassword).value().toCharArray());
            TrustManagerFactory trust = null;
            if (truststore.isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                TrustStore t = truststore.get();
                trust.init(load(t.location(), t.password(), t.type(), "ssl.truststore.location"));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the registry's HTTPS settings do not make a TLS context: "
                    + e.getMessage() + " (check ssl.keystore.* and ssl.truststore.*)", e);
        }
    }

    private static KeyStore load(Path file, Password password, String type, String setting) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.value().toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + " " + file + " (type " + type + ") cannot be read: "
                    + e.getMessage() + "; check the location, its password and type", e);
        }
    }

    /** Never the passwords. */
    @Override
    public String toString() {
        return "RegistryTls[keystore=" + keystore + ", truststore=" + truststore.map(TrustStore::location)
                + ", clientAuthentication=" + clientAuthentication + "]";
    }
}

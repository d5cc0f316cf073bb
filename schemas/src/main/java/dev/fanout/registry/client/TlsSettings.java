package dev.fanout.registry.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key material for HTTPS to the registry: a truststore to trust the registry's certificate when the
 * JVM's default trust does not, and a keystore when the registry asks for a client certificate.
 *
 * @param truststore  certificates to trust; empty means the JVM's default trust
 * @param keystore    the client's key and certificate; empty means no client certificate
 * @param keyPassword password of the key inside the keystore; empty means the keystore's password
 */
public record TlsSettings(Optional<KeyStoreFile> truststore, Optional<KeyStoreFile> keystore,
                          Optional<String> keyPassword) {

    public TlsSettings {
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keyPassword, "keyPassword");
    }

    /** Whether there is anything to configure; when not, the JVM's default SSL context serves. */
    public boolean isEmpty() {
        return truststore.isEmpty() && keystore.isEmpty();
    }

    /**
     * Loads the stores and builds a TLS context.
     *
     * @throws IllegalArgumentException naming the file when a store cannot be read or opened
     */
    public SSLContext createSslContext() {
        try {
            TrustManager[] trustManagers = null;
            if (truststore.isPresent()) {
                TrustManagerFactory factory =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(truststore.get().load("truststore"));
                trustManagers = factory.getTrustManagers();
            }
            KeyManager[] keyManagers = null;
            if (keystore.isPresent()) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String password = keyPassword.or(() -> keystore.get().password()).orElse("");
                factory.init(keystore.get().load("keystore"), password.toCharArray());
                keyManagers = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            // Null managers make the JDK fall back to its defaults for that side.
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot build a TLS context for the Schema Registry: " + e.getMessage(), e);
        }
    }

    /**
     * A key store on disk.
     *
     * @param location the file
     * @param password its password; empty for a store without one
     * @param type     the store type, such as {@code JKS} or {@code PKCS12}
     */
    public record KeyStoreFile(Path location, Optional<String> password, String type) {

        public KeyStoreFile {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(type, "type");
        }

        KeyStore load(String role) {
            try (InputStream in = Files.newInputStream(location)) {
                KeyStore store = KeyStore.getInstance(type);
                store.load(in, password.map(String::toCharArray).orElse(null));
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot load " + role + " " + location + " of type " + type
                        + ": " + e.getMessage() + "; check the location, password and type", e);
            }
        }
    }
}

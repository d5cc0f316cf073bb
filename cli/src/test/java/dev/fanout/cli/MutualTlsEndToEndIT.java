package dev.fanout.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The demo tree on the SSL listener with client certificates: every principal is the distinguished name
 * of its certificate, {@code User:CN=<role>}. The registry requires client certificates too, and each
 * part presents the one it presents to Kafka.
 */
class MutualTlsEndToEndIT extends SecuredEndToEnd {

    @Override
    Map<String, Object> clientOf(String role) {
        return kafka.mtlsClient(role);
    }

    @Override
    String principalOf(String role) {
        return "User:CN=" + role;
    }

    @Override
    Map<String, Object> administrator() {
        return kafka.adminClient();
    }

    @Override
    Map<String, Object> registryServer() {
        Map<String, Object> server = new LinkedHashMap<>(kafkastore(clientOf("registry")));
        server.putAll(registryHttps());
        server.put("ssl.truststore.location", kafka.truststore().toString());
        server.put("ssl.truststore.password", kafka.pki().password().value());
        server.put("ssl.truststore.type", "PKCS12");
        server.put("ssl.client.authentication", "REQUIRED");
        return server;
    }

    @Override
    Map<String, Object> registryClientOf(String role) {
        Map<String, Object> kafkaClient = clientOf(role);
        Map<String, Object> client = new LinkedHashMap<>(registryTrust());
        client.put("schema.registry.ssl.keystore.location", kafkaClient.get(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG));
        client.put("schema.registry.ssl.keystore.password", kafkaClient.get(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG));
        client.put("schema.registry.ssl.keystore.type", kafkaClient.get(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG));
        return client;
    }
}

package dev.fanout.cli;

import dev.fanout.testkit.SecuredKafkaBroker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demo tree on the SASL_SSL listener: every principal is a SCRAM-SHA-512 user named after its role.
 * The registry requires HTTP basic auth: the pipeline inherits its SASL login (SASL_INHERIT), the
 * worker and the operator give theirs as USER_INFO.
 */
class SaslSslEndToEndIT extends SecuredEndToEnd {

    @Override
    Map<String, Object> clientOf(String role) {
        return kafka.saslClient(role);
    }

    @Override
    String principalOf(String role) {
        return "User:" + role;
    }

    @Override
    Map<String, Object> administrator() {
        return kafka.saslClient(SecuredKafkaBroker.ADMIN_USER);
    }

    @Override
    Map<String, Object> registryServer() {
        Map<String, Object> server = new LinkedHashMap<>(kafkastore(clientOf("registry")));
        server.putAll(registryHttps());
        server.put("authentication.method", "BASIC");
        server.put("authentication.basic.users", Stream.of("pipeline", "worker", "operator")
                .map(role -> role + ":" + kafka.password(role).value()).collect(Collectors.joining(",")));
        return server;
    }

    @Override
    Map<String, Object> registryClientOf(String role) {
        Map<String, Object> client = new LinkedHashMap<>(registryTrust());
        if (role.equals("pipeline")) {
            client.put("basic.auth.credentials.source", "SASL_INHERIT");
        } else {
            client.put("basic.auth.credentials.source", "USER_INFO");
            client.put("basic.auth.user.info", role + ":" + kafka.password(role).value());
        }
        return client;
    }
}

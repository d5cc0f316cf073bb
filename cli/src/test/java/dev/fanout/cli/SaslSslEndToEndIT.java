package dev.fanout.cli;

import dev.fanout.testkit.SecuredKafkaBroker;
import java.util.Map;

/** The demo tree on the SASL_SSL listener: every principal is a SCRAM-SHA-512 user named after its role. */
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
}

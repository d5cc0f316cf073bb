package dev.fanout.cli;

import java.util.Map;

/**
 * The demo tree on the SSL listener with client certificates: every principal is the distinguished name
 * of its certificate, {@code User:CN=<role>}.
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
}

package dev.fanout.security;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Says what to fix when a Kafka client was refused by a secured cluster. Kafka's own messages name the
 * symptom ("SSL handshake failed", "Not authorized to access topics: [...]"); these name the setting or
 * the ACL, the way docs/security.md does. Never a secret: only setting names, user names, resources.
 */
public final class SecurityFailures {

    static final String ACLS = "docs/security.md lists the ACLs each part of Fanout needs";

    private SecurityFailures() {
    }

    /** An explanation when {@code failure} or one of its causes is an authentication or authorization error. */
    public static Optional<String> explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<String> explained = explainOne(t);
            if (explained.isPresent()) {
                return explained;
            }
        }
        return Optional.empty();
    }

    /** True when {@code failure} or one of its causes is one {@link #explain} knows: retrying will not help. */
    public static boolean isSecurityFailure(Throwable failure) {
        return explain(failure).isPresent();
    }

    private static Optional<String> explainOne(Throwable t) {
        if (t instanceof SaslAuthenticationException) {
            return Optional.of("the broker refused the SASL login (" + t.getMessage() + "): check the username and "
                    + "password in sasl.jaas.config, and that sasl.mechanism is one the listener enables");
        }
        if (t instanceof SslAuthenticationException) {
            return Optional.of(tls(t));
        }
        if (t instanceof AuthenticationException) {
            return Optional.of("the broker refused to authenticate this client (" + t.getMessage() + "): check "
                    + "security.protocol, sasl.* and ssl.* against the listener of bootstrap.servers");
        }
        if (t instanceof TopicAuthorizationException e) {
            Set<String> topics = new TreeSet<>(e.unauthorizedTopics());
            return Optional.of("not authorized on TOPIC " + (topics.isEmpty() ? "(not named by the broker)"
                    : String.join(", ", topics)) + ": the principal of these client settings needs an ACL there "
                    + "(READ to consume, WRITE to produce, DESCRIBE to list it); " + ACLS);
        }
        if (t instanceof GroupAuthorizationException e) {
            return Optional.of("not authorized on GROUP " + (e.groupId() == null ? "(not named by the broker)"
                    : e.groupId()) + ": the principal of these client settings needs READ on that consumer group; "
                    + ACLS);
        }
        if (t instanceof TransactionalIdAuthorizationException) {
            return Optional.of("not authorized on TRANSACTIONAL_ID: under exactly_once_v2 the pipeline's principal "
                    + "needs WRITE on the transactional ids prefixed by '<application.id>-'; " + ACLS);
        }
        if (t instanceof ClusterAuthorizationException) {
            return Optional.of("not authorized on the CLUSTER (" + t.getMessage() + "): this is an administrator's "
                    + "operation, such as creating topics; run it with an administrator's client settings");
        }
        return Optional.empty();
    }

    /** Which side refused the handshake decides which store is wrong. */
    private static String tls(Throwable handshake) {
        String chain = messages(handshake);
        if (chain.contains("PKIX path") || chain.contains("unable to find valid certification path")
                || chain.contains("No subject alternative") || chain.contains("No name matching")) {
            return "TLS: this client does not trust the broker's certificate (" + firstLine(handshake) + "): set "
                    + "ssl.truststore.location (and ssl.truststore.password, ssl.truststore.type) to a truststore "
                    + "holding the authority that signed the broker's certificate";
        }
        if (chain.contains("bad_certificate") || chain.contains("certificate_unknown") || chain.contains("certificate_required")
                || chain.contains("unknown_ca") || chain.contains("Received fatal alert")) {
            return "TLS: the broker refused this client's certificate (" + firstLine(handshake) + "): set "
                    + "ssl.keystore.location (and ssl.keystore.password, ssl.key.password) to a key store whose "
                    + "certificate is signed by an authority the broker trusts";
        }
        return "TLS handshake with the broker failed (" + firstLine(handshake) + "): check ssl.truststore.location, "
                + "ssl.keystore.location and security.protocol against the listener of bootstrap.servers";
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static String firstLine(Throwable t) {
        String message = String.valueOf(t.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

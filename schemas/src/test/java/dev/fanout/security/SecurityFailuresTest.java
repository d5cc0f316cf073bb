package dev.fanout.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class SecurityFailuresTest {

    @Test
    void aRefusedLoginNamesSaslJaasConfig() {
        var failure = new ExecutionException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"));

        assertThat(SecurityFailures.explain(failure)).get().asString()
                .contains("sasl.jaas.config").contains("invalid credentials");
    }

    @Test
    void anUntrustedBrokerNamesTheTruststore() {
        var failure = new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed: unable to find valid certification path"));

        assertThat(SecurityFailures.explain(failure)).get().asString()
                .contains("does not trust the broker").contains("ssl.truststore.location");
    }

    @Test
    void aRefusedClientCertificateNamesTheKeystore() {
        var failure = new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("Received fatal alert: bad_certificate"));

        assertThat(SecurityFailures.explain(failure)).get().asString()
                .contains("refused this client's certificate").contains("ssl.keystore.location");
    }

    @Test
    void aMissingTopicAclNamesTheTopic() {
        var failure = new KafkaException("could not send", new TopicAuthorizationException(Set.of("fanout.artifact-events")));

        assertThat(SecurityFailures.explain(failure)).get().asString()
                .contains("TOPIC fanout.artifact-events").contains("docs/security.md");
    }

    @Test
    void aMissingGroupAclNamesTheGroup() {
        var failure = new GroupAuthorizationException("Not authorized to access group: fanout", "fanout");

        assertThat(SecurityFailures.explain(failure)).get().asString().contains("GROUP fanout");
    }

    @Test
    void otherFailuresAreNotExplained() {
        assertThat(SecurityFailures.explain(new TimeoutException("Timed out waiting for a node assignment"))).isEmpty();
    }
}

package dev.fanout.cli;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Client configurations for the CLI: short timeouts so a wrong address fails fast with a clear message. */
final class Kafka {
    private Kafka() {
    }

    static Map<String, Object> adminConfig(ClientSettings settings) {
        Map<String, Object> conf = new HashMap<>(settings.kafka());
        conf.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        conf.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return conf;
    }

    static Map<String, Object> producerConfig(ClientSettings settings) {
        Map<String, Object> conf = new HashMap<>(settings.kafka());
        conf.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        conf.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        conf.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        conf.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        conf.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return conf;
    }

    static Map<String, Object> consumerConfig(ClientSettings settings) {
        Map<String, Object> conf = new HashMap<>(settings.kafka());
        conf.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        conf.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        conf.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return conf;
    }
}

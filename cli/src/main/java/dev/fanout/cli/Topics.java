package dev.fanout.cli;

import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopicSpec;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/** The contract's topics for the settings at hand, with configuration errors turned into CLI errors. */
final class Topics {
    private Topics() {
    }

    static FanoutTopics of(ClientSettings settings) {
        try {
            return new FanoutTopics(new FanoutConfig(settings.serde()).topicPrefix(), settings.serde());
        } catch (ConfigException e) {
            throw new CliException(e.getMessage());
        }
    }

    static List<TopicSpec> specs(ClientSettings settings) {
        return of(settings).specs();
    }
}

package dev.fanout.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Every log line of the JVM from {@link #start} to {@link #close}, Kafka's INFO lines included (the
 * clients log their whole configuration there), with the stack traces: what a search for secrets must
 * cover. The console keeps showing Kafka's warnings only, as the tests' logback configuration says.
 */
final class CapturedLogs implements AutoCloseable {

    private static final List<String> KAFKA_LOGGERS = List.of("org.apache.kafka", "kafka");

    private final List<String> lines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            synchronized (lines) {
                lines.add(line.toString());
            }
        }
    };
    private final Filter<ILoggingEvent> quietKafka = new Filter<>() {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            boolean kafka = KAFKA_LOGGERS.stream().anyMatch(name -> event.getLoggerName().startsWith(name));
            return kafka && !event.getLevel().isGreaterOrEqual(Level.WARN) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    };
    private final Map<String, Level> levelsBefore = new java.util.HashMap<>();

    private CapturedLogs() {
    }

    static CapturedLogs start() {
        CapturedLogs logs = new CapturedLogs();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            it.next().addFilter(logs.quietKafka);
        }
        for (String name : KAFKA_LOGGERS) {
            Logger logger = context.getLogger(name);
            logs.levelsBefore.put(name, logger.getLevel());
            logger.setLevel(Level.INFO);
        }
        logs.appender.setContext(context);
        logs.appender.start();
        root.addAppender(logs.appender);
        return logs;
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        appender.stop();
        levelsBefore.forEach((name, level) -> context.getLogger(name).setLevel(level));
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            it.next().clearAllFilters();
        }
    }
}

package dev.fanout.worker;

/** A worker was built with a missing or invalid setting; the message names the setting, the value and the fix. */
public final class WorkerConfigurationException extends IllegalArgumentException {

    public WorkerConfigurationException(String message) {
        super(message);
    }
}

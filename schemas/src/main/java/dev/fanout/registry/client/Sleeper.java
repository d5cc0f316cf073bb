package dev.fanout.registry.client;

import java.time.Duration;

/** Waits between retries; a seam so that tests can record the pauses instead of taking them. */
@FunctionalInterface
interface Sleeper {

    Sleeper THREAD_SLEEP = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}

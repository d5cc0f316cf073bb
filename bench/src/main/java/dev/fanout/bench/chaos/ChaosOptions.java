package dev.fanout.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a chaos run is shaped.
 *
 * @param instances       topology processes sharing the work (one application id)
 * @param partitions      partitions of every topic, so that each instance has tasks of its own
 * @param kills           SIGKILLs of one instance, each followed by its restart on the same state directory
 * @param killEveryMin    the shortest time from one disruption to the next
 * @param killEveryMax    the longest; each interval is drawn between the two
 * @param minTrees        trees to emit at least (the load goes on until the schedule is over and this many were sent)
 * @param treesPerSecond  the steady rate of new trees
 * @param minChildren     children of the smallest tree's first level
 * @param maxChildren     of the largest
 * @param steady          load without failures before the first kill: the baseline of pauses and latency
 * @param restartBroker   whether the broker is stopped and started again after the kills
 * @param restartRegistry whether the Schema Registry is
 * @param drainTimeout    how long to wait, once the load has stopped, for every tree to finish
 * @param overrides       topology settings on top of the shipped defaults (the negative control's guarantee)
 * @param seed            of the intervals and of the instance killed first (the others follow in turn)
 * @param dir             where brokers, state and logs go
 */
public record ChaosOptions(int instances, int partitions, int kills, Duration killEveryMin, Duration killEveryMax,
                           int minTrees, double treesPerSecond, int minChildren, int maxChildren, Duration steady,
                           boolean restartBroker, boolean restartRegistry, Duration drainTimeout,
                           Map<String, Object> overrides, long seed, Path dir) {

    public ChaosOptions {
        Objects.requireNonNull(killEveryMin, "killEveryMin");
        Objects.requireNonNull(killEveryMax, "killEveryMax");
        Objects.requireNonNull(steady, "steady");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(dir, "dir");
        overrides = Map.copyOf(overrides);
        if (instances < 1) {
            throw new IllegalArgumentException("instances " + instances + " must be at least 1");
        }
        if (kills > 0 && instances < 2) {
            throw new IllegalArgumentException("killing the only instance leaves no one to fail over to: use 2 or more instances");
        }
        if (killEveryMax.compareTo(killEveryMin) < 0 || killEveryMin.isNegative()) {
            throw new IllegalArgumentException("kill interval " + killEveryMin.toSeconds() + "-" + killEveryMax.toSeconds()
                    + " s: give MIN-MAX seconds with 0 <= MIN <= MAX, such as 20-30");
        }
        if (treesPerSecond <= 0) {
            throw new IllegalArgumentException("tree rate " + treesPerSecond + " must be positive");
        }
    }

    public ChaosOptions withOverrides(Map<String, Object> more) {
        return new ChaosOptions(instances, partitions, kills, killEveryMin, killEveryMax, minTrees, treesPerSecond,
                minChildren, maxChildren, steady, restartBroker, restartRegistry, drainTimeout, more, seed, dir);
    }

    public ChaosOptions withDir(Path other) {
        return new ChaosOptions(instances, partitions, kills, killEveryMin, killEveryMax, minTrees, treesPerSecond,
                minChildren, maxChildren, steady, restartBroker, restartRegistry, drainTimeout, overrides, seed, other);
    }
}

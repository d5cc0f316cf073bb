package dev.fanout.subscription.sync;

/** Which subscriptions on the topic a sync may delete when the scan no longer declares them. */
public enum RemovalScope {
    /** The scanned root holds every repository: a subscription of a repository that is gone is removed. */
    WHOLE_ROOT,
    /** Only repositories found by the scan are touched: other repositories' subscriptions stay. */
    SCANNED_REPOSITORIES
}

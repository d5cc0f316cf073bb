/**
 * Timers and retries: when something is due ({@link dev.fanout.tree.timer.Timers}, a changelogged store keyed
 * by due time that a wall-clock punctuator scans) and whether and when a failed attempt is tried again
 * ({@link dev.fanout.tree.timer.Backoff#nextAttemptAt}). What a due timer does to a tree is the tree's
 * business ({@code dev.fanout.tree.TimerActions}, {@code Attempts}, {@code Heartbeats}).
 */
package dev.fanout.tree.timer;

package dev.fanout.bench;

/** Told as runs start and finish, so that a bench of several minutes shows it is alive. */
public interface Progress {

    /** @param run such as {@code run 2/3} or {@code warm-up 1/1} */
    void started(String scenario, String run);

    void finished(RunResult result, String run);

    static Progress silent() {
        return new Progress() {
            @Override
            public void started(String scenario, String run) {
            }

            @Override
            public void finished(RunResult result, String run) {
            }
        };
    }
}

package dev.fanout.bench;

/**
 * How busy the machine's cores were during a run, as fractions of all of them: this process (the bench's
 * clients and the embedded broker) with the topology's JVM it started, and every other process. A run
 * during which others took a good share measured the machine's neighbours as much as Fanout; the table
 * says so instead of hiding it.
 *
 * @param bench  this JVM's share and its child processes' (the topology's JVM), 0 to 1, negative if the
 *               platform does not say
 * @param others everything else's share, 0 to 1, negative if the platform does not say
 */
public record CpuShare(double bench, double others) {

    public static final CpuShare UNKNOWN = new CpuShare(-1, -1);

    public boolean known() {
        return bench >= 0 && others >= 0;
    }
}

package dev.fanout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The committed offset never passes a trigger whose run is still going, whatever order runs end in. */
class PartitionProgressTest {

    @Test
    void nothingIsCommittableBeforeAnythingIsReceived() {
        assertThat(new PartitionProgress().toCommit()).isEqualTo(-1);
    }

    @Test
    void aRunThatEndsFirstDoesNotMoveTheOffsetPastAnEarlierOneStillGoing() {
        PartitionProgress progress = new PartitionProgress();
        progress.received(10);
        progress.received(11);
        progress.received(12);

        progress.done(12);
        progress.done(11);

        assertThat(progress.toCommit()).isEqualTo(10);
    }

    @Test
    void whenEveryRunHasEndedTheOffsetGoesPastTheLastReceived() {
        PartitionProgress progress = new PartitionProgress();
        progress.received(10);
        progress.received(11);
        progress.done(11);
        progress.done(10);

        assertThat(progress.toCommit()).isEqualTo(12);
    }

    @Test
    void anOffsetAlreadyCommittedIsNotCommittedAgain() {
        PartitionProgress progress = new PartitionProgress();
        progress.received(10);
        progress.done(10);
        progress.committed(progress.toCommit());

        assertThat(progress.toCommit()).isEqualTo(-1);
        progress.received(11);
        assertThat(progress.toCommit()).isEqualTo(-1);
        progress.done(11);
        assertThat(progress.toCommit()).isEqualTo(12);
    }
}

package org.cagate.bench.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlowSecondsTests {

    @Test
    void describeWhenLoginsOver50MsInTwoSecondsThenThoseSecondsWithCountAndSlowest() {
        SlowSeconds a = new SlowSeconds();
        SlowSeconds b = new SlowSeconds();
        a.record(12_100_000_000L, 180_000);
        a.record(12_900_000_000L, 60_000);
        b.record(13_000_000_000L, 410_400);
        a.record(14_000_000_000L, 50_000); // not over 50 ms
        b.record(-1, 900_000); // before the window

        a.add(b);

        assertThat(a.describe()).isEqualTo("s 12: 2 (max 180 ms), s 13: 1 (max 410 ms)");
        assertThat(new SlowSeconds().describe()).isEqualTo("none");
    }

    @Test
    void recordWhenLaterThanTheLastSecondCountedThenItCountsThere() {
        SlowSeconds s = new SlowSeconds();

        s.record(10_000L * 1_000_000_000L, 70_000);

        assertThat(s.describe()).isEqualTo("s " + (SlowSeconds.SECONDS - 1) + ": 1 (max 70 ms)");
    }

    @Test
    void describeWhenMoreSecondsThanNamedThenTheOnesWithMostAndTheirNumber() {
        SlowSeconds s = new SlowSeconds();
        for (int second = 0; second < 30; second++) {
            for (int n = 0; n <= second % 12; n++) {
                s.record(second * 1_000_000_000L, 60_000);
            }
        }

        // seconds 11 and 23 had 12 each, 10 and 22 had 11, ..., 6 and 18 had 7, and 29 had 6
        assertThat(s.describe())
                .isEqualTo("30 seconds, the 10 with the most: s 7: 8 (max 60 ms), s 8: 9 (max 60 ms),"
                        + " s 9: 10 (max 60 ms), s 10: 11 (max 60 ms), s 11: 12 (max 60 ms), s 19: 8 (max 60 ms),"
                        + " s 20: 9 (max 60 ms), s 21: 10 (max 60 ms), s 22: 11 (max 60 ms), s 23: 12 (max 60 ms)");
    }
}

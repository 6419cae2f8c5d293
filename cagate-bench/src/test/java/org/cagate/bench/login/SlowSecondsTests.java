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
}

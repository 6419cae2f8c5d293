package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PinRetriesTests {
    static final long LOW = Cryptoki.CKF_USER_PIN_COUNT_LOW;
    static final long FINAL = Cryptoki.CKF_USER_PIN_FINAL_TRY;
    static final long LOCKED = Cryptoki.CKF_USER_PIN_LOCKED;

    @Test
    void retriesLeftWhenTokenSaysLockedOrFinalTryThenZeroOrOneWhateverTheCount() {
        assertThat(PinRetries.retriesLeft(LOCKED, 6, 0)).isZero();
        assertThat(PinRetries.retriesLeft(LOW | FINAL, 6, 1)).isEqualTo(1);
        assertThat(PinRetries.retriesLeft(LOW | FINAL, null, 0)).isEqualTo(1);
    }

    @Test
    void retriesLeftWhenLimitDocumentedThenLimitLessWrongPinsSeenButAtLeastTwo() {
        assertThat(PinRetries.retriesLeft(LOW, 6, 1)).isEqualTo(5);
        assertThat(PinRetries.retriesLeft(LOW, 6, 3)).isEqualTo(3);
        assertThat(PinRetries.retriesLeft(LOW, 6, 9)).isEqualTo(2);
        // The token counted a wrong PIN this agent did not see (another program, or before a restart).
        assertThat(PinRetries.retriesLeft(LOW, 6, 0)).isEqualTo(5);
        assertThat(PinRetries.retriesLeft(0, 6, 0)).isEqualTo(6);
    }

    @Test
    void retriesLeftWhenNoLimitDocumentedAndNoFinalTryThenUnknown() {
        assertThat(PinRetries.retriesLeft(LOW, null, 2)).isNull();
    }
}

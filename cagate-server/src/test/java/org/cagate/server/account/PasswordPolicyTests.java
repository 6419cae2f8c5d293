package org.cagate.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTests {

    @Test
    void problemWhenTooShortOrLongThenLength() {
        assertThat(PasswordPolicy.problem("PGHS008", "Aa1!")).isEqualTo("validation.password.length");
        assertThat(PasswordPolicy.problem("PGHS008", "Aa1!".repeat(33))).isEqualTo("validation.password.length");
        assertThat(PasswordPolicy.problem("PGHS008", null)).isEqualTo("validation.password.length");
    }

    @Test
    void problemWhenFewerThanThreeClassesThenClasses() {
        assertThat(PasswordPolicy.problem("PGHS008", "abcdefgh1")).isEqualTo("validation.password.classes");
        assertThat(PasswordPolicy.problem("PGHS008", "ABCDEFGH!")).isEqualTo("validation.password.classes");
    }

    @Test
    void problemWhenContainsLoginNameThenLoginName() {
        assertThat(PasswordPolicy.problem("PGHS008", "my-pghs008-Pass")).isEqualTo("validation.password.loginName");
    }

    @Test
    void problemWhenCommonThenCommon() {
        assertThat(PasswordPolicy.problem("PGHS008", "P@ssw0rd")).isEqualTo("validation.password.common");
    }

    @Test
    void problemWhenStrongThenNone() {
        assertThat(PasswordPolicy.problem("PGHS008", "Xizi-Trade-2021!")).isNull();
        assertThat(PasswordPolicy.problem("PGHS008", "西子贸易集团abc123")).isNull();
    }
}

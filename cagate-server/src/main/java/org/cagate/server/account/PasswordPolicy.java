package org.cagate.server.account;

import java.util.Locale;
import java.util.Set;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;

/**
 * What a password must be: 8 to 128 characters, at least three of ASCII lower case, upper case,
 * digits and other characters (symbols, Chinese characters), not containing the login name, not a well-known password. The same rule
 * applies to the bootstrap admin, so no deployment starts with a weak operator password.
 */
public final class PasswordPolicy {

    static final int MIN = 8;
    static final int MAX = 128;

    // The most common passwords that would otherwise pass the character-class rule.
    private static final Set<String> COMMON = Set.of(
            "password1!",
            "passw0rd",
            "p@ssw0rd",
            "p@ssword1",
            "qwer1234!",
            "admin@123",
            "admin123!",
            "abc@1234",
            "abcd@1234",
            "1qaz@wsx",
            "1qaz2wsx!",
            "zaq1@wsx",
            "welcome1!",
            "changeme1!",
            "password@123");

    private PasswordPolicy() {}

    /** @throws ApiException VALIDATION with the reason in the request's language */
    public static void check(String loginName, String password) {
        String reason = problem(loginName, password);
        if (reason != null) {
            throw ApiException.detail(ProblemCode.VALIDATION, reason, MIN, MAX);
        }
    }

    /** The message key of what is wrong with the password, or null when it is acceptable. */
    public static String problem(String loginName, String password) {
        if (password == null || password.length() < MIN || password.length() > MAX) {
            return "validation.password.length";
        }
        int classes = 0;
        // ASCII classes; anything else (symbols, Chinese characters) counts as "other".
        classes += password.chars().anyMatch(c -> c >= 'a' && c <= 'z') ? 1 : 0;
        classes += password.chars().anyMatch(c -> c >= 'A' && c <= 'Z') ? 1 : 0;
        classes += password.chars().anyMatch(c -> c >= '0' && c <= '9') ? 1 : 0;
        classes +=
                password.chars().anyMatch(c -> !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'))
                        ? 1
                        : 0;
        if (classes < 3) {
            return "validation.password.classes";
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (loginName != null && loginName.length() >= 3 && lower.contains(loginName.toLowerCase(Locale.ROOT))) {
            return "validation.password.loginName";
        }
        if (COMMON.contains(lower)) {
            return "validation.password.common";
        }
        return null;
    }
}

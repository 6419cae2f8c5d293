package org.cagate.server.challenge;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.cagate.pki.Challenge;
import org.cagate.server.account.CagateUser;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.HttpAuthorization;
import org.cagate.server.web.ProblemCode;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/ca/challenges {purpose: LOGIN|BIND, provider}} → 201 {@code {id, toBeSigned,
 * expiresAt}}. LOGIN is open to anyone (the login page asks before anyone is signed in); BIND needs a
 * signed-in account, and only that account can use the challenge.
 */
@RestController
class ChallengeController {

    private final ChallengeService challenges;

    ChallengeController(ChallengeService challenges) {
        this.challenges = challenges;
    }

    record ChallengeRequest(
            @NotBlank @Pattern(regexp = "LOGIN|BIND", message = "只能是 LOGIN 或 BIND")
            String purpose,

            @NotBlank @Pattern(regexp = "[A-Z0-9_]{1,32}", message = "CA 服务商代码不正确")
            String provider) {}

    @Bean
    static HttpAuthorization caChallengesPublic() {
        return rules ->
                rules.requestMatchers(HttpMethod.POST, "/api/ca/challenges").permitAll();
    }

    @PostMapping("/api/ca/challenges")
    ResponseEntity<ChallengeService.IssuedChallenge> issue(
            @AuthenticationPrincipal CagateUser user,
            @Valid @RequestBody ChallengeRequest body,
            HttpServletRequest request) {
        Challenge.Purpose purpose = Challenge.Purpose.valueOf(body.purpose());
        if (purpose == Challenge.Purpose.BIND && user == null) {
            throw new ApiException(ProblemCode.UNAUTHENTICATED);
        }
        Long accountId = purpose == Challenge.Purpose.BIND ? user.accountId() : null;
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(challenges.issue(purpose, body.provider(), accountId, ClientIp.of(request)));
    }
}

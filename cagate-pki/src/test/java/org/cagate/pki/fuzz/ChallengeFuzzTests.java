package org.cagate.pki.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.cagate.pki.Challenge;
import org.cagate.pki.Reason;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link Challenge#parse} on hostile bytes: the only failure is CHALLENGE_MALFORMED, and whatever it
 * accepts is exactly the canonical text of what it returns (so the agent and the server can never read
 * the same bytes differently). Near-valid texts change one line, one character or the line structure of
 * a valid challenge, which is where a lenient parser would slip.
 */
class ChallengeFuzzTests {

    private static final Set<Reason> MALFORMED = Set.of(Reason.CHALLENGE_MALFORMED);
    private static final String[] KEYS = {"purpose", "origin", "provider", "nonce", "issued-at"};

    @Test
    void parseWhenRandomBytesThenMalformedOrCanonical() {
        Fuzz.check(randomBytes(), ChallengeFuzzTests::parseStrictly);
    }

    @Test
    void parseWhenNearValidTextThenMalformedOrCanonical() {
        Fuzz.check(nearValid(), ChallengeFuzzTests::parseStrictly);
    }

    @Test
    void parseWhenValidThenSameChallenge() {
        Fuzz.check(1_000, valid(), (challenge, tally) -> {
            var parsed = Hostile.run("Challenge.parse", challenge, () -> Challenge.parse(challenge.toBytes()));

            assertThat(parsed.failed())
                    .as("refused %s: %s", challenge, parsed.failure())
                    .isFalse();
            assertThat(parsed.value()).isEqualTo(challenge);
            tally.collect(challenge.purpose() + " accepted");
        });
    }

    private static void parseStrictly(byte[] input, Fuzz.Tally tally) {
        var parsed = Hostile.run("Challenge.parse", input, () -> Challenge.parse(input));
        Hostile.requireOnly(parsed, MALFORMED, "Challenge.parse", input);
        Hostile.run("Challenge.looksLikeChallenge", input, () -> Challenge.looksLikeChallenge(input));
        if (!parsed.failed()) {
            assertThat(parsed.value().toBytes())
                    .as("accepted bytes must be the canonical text")
                    .isEqualTo(input);
        }
        tally.collect(parsed.failed() ? "refused" : "accepted");
    }

    private static Gen<byte[]> randomBytes() {
        Gen<byte[]> magicThenRandom =
                Gens.strings(300).map(s -> (Challenge.MAGIC + "\n" + s).getBytes(StandardCharsets.UTF_8));
        return Generate.oneOf(Gens.bytes(0, 1100), magicThenRandom);
    }

    private static Gen<Challenge> valid() {
        Gen<Challenge.Purpose> purpose = Generate.enumValues(Challenge.Purpose.class);
        Gen<String> provider = Gens.stringsOf("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", 1, 32);
        Gen<Instant> issuedAt =
                Generate.longRange(-62167219200L, 253402300799L).map(second -> Instant.ofEpochSecond(second));
        return purpose.zip(origins(), provider, Gens.bytes(Challenge.NONCE_BYTES), issuedAt, Challenge::new);
    }

    private static Gen<String> origins() {
        Gen<String> label = Gens.stringsOf("abcdefghijklmnopqrstuvwxyz0123456789", 1, 12);
        Gen<String> top = Gens.stringsOf("abcdefghijklmnopqrstuvwxyz", 1, 6);
        Gen<String> name = Gens.list(label, 0, 3)
                .zip(top, (labels, last) -> labels.isEmpty() ? last : String.join(".", labels) + "." + last);
        Gen<String> ipv4 = Gens.list(Generate.range(0, 255), 4, 4)
                .map(parts ->
                        String.join(".", parts.stream().map(String::valueOf).toList()));
        Gen<String> host = Generate.frequency(Gens.weight(4, name), Gens.weight(1, ipv4));
        Gen<String> port =
                Generate.oneOf(Gens.just(""), Generate.range(1, 65535).map(p -> ":" + p));
        return Gens.pick("https://", "http://").zip(host, port, (s, h, p) -> s + h + p);
    }

    /** A valid challenge with one to three changes of a line value, a line, or a few bytes. */
    private static Gen<byte[]> nearValid() {
        Gen<Edit> edit = Generate.enumValues(Edit.Kind.class).zip(Generate.range(0, 1000), tricky(), Edit::new);
        Gen<byte[]> edited = valid().zip(Gens.list(edit, 1, 3), (challenge, edits) -> {
            List<String> lines =
                    new ArrayList<>(Arrays.asList(challenge.toText().split("\n", -1)));
            for (Edit e : edits) {
                e.apply(lines);
            }
            return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        });
        Gen<byte[]> valid = valid().map(Challenge::toBytes);
        return Generate.frequency(Gens.weight(3, edited), Gens.weight(1, ByteMutation.of(valid, valid)));
    }

    /** Values a sloppy parser might take: other spellings of valid ones, and ones just outside the rules. */
    private static Gen<String> tricky() {
        Gen<String> listed = Gens.pick(
                "LOGIN",
                "BIND",
                "login",
                "LOGIN ",
                " LOGIN",
                "LOGIN\r",
                "BINDX",
                "",
                "LOGIN\u0000",
                "https://platform.example.gov.cn",
                "https://platform.example.gov.cn/",
                "HTTPS://platform.example.gov.cn",
                "https://Platform.example.gov.cn",
                "https://platform.example.gov.cn:443",
                "https://x:0",
                "https://x:65536",
                "https://x:99999999999999999999",
                "https://user@x",
                "https://user:pw@x",
                "https://[::1]",
                "https://[::1]:8443",
                "https://[::1",
                "https://x?q=1",
                "https://x#f",
                "https://x.",
                "https://-x",
                "https://x:80:80",
                "https://中国.cn",
                "https://xn--fiqs8s.cn",
                "ftp://x",
                "https:x",
                "https://",
                "https://x:",
                "https:///x",
                "https://x/..",
                "https://x\\y",
                "https://x%2f",
                "https://x y",
                "http://127.0.0.1:21777",
                "https://0x7f.1",
                "ZJHX",
                "zjhx",
                "ZJHX ",
                "ZJ-HX",
                "Z".repeat(33),
                "ＺＪＨＸ",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "++++++++++++++++++++++++++++++++++++++++++A",
                "2026-11-28T10:00:00Z",
                "2026-02-30T10:00:00Z",
                "2026-11-28T24:00:00Z",
                "2026-11-28T23:59:60Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "+12026-11-28T10:00:00Z",
                "2026-11-28T10:00:00.000Z",
                "2026-11-28t10:00:00z",
                "2026-11-28T10:00:00+08:00",
                "2026-11-28 10:00:00Z",
                "２０２６-11-28T10:00:00Z",
                "2026-11-28T10:00Z",
                "2026-13-01T00:00:00Z",
                "-2026-11-28T10:00:00Z");
        return Generate.oneOf(listed, Gens.strings(50));
    }

    /** One change to the lines of a challenge text. */
    record Edit(Kind kind, int at, String value) {
        enum Kind {
            SET_VALUE,
            SET_KEY,
            SWAP_LINES,
            DUPLICATE_LINE,
            DELETE_LINE,
            INSERT_LINE,
            TRAILING_NEWLINE,
            CRLF,
            BOM,
            SPACE_AROUND_EQUALS,
            REPEAT_VALUE
        }

        void apply(List<String> lines) {
            if (lines.isEmpty()) {
                lines.add(value);
                return;
            }
            int i = at % lines.size();
            String line = lines.get(i);
            int eq = line.indexOf('=');
            switch (kind) {
                case SET_VALUE -> lines.set(i, eq < 0 ? line + "=" + value : line.substring(0, eq + 1) + value);
                case SET_KEY -> lines.set(i, KEYS[at % KEYS.length] + (eq < 0 ? "=" + line : line.substring(eq)));
                case SWAP_LINES -> {
                    int j = (at / 7 + 1) % lines.size();
                    lines.set(i, lines.get(j));
                    lines.set(j, line);
                }
                case DUPLICATE_LINE -> lines.add(i, line);
                case DELETE_LINE -> lines.remove(i);
                case INSERT_LINE -> lines.add(i, value);
                case TRAILING_NEWLINE -> lines.add("");
                case CRLF -> lines.replaceAll(l -> l + "\r");
                case BOM -> lines.set(0, "\uFEFF" + lines.get(0));
                case SPACE_AROUND_EQUALS -> lines.set(i, line.replaceFirst("=", at % 2 == 0 ? " =" : "= "));
                case REPEAT_VALUE ->
                    lines.set(i, line + line.substring(Math.max(0, eq + 1)).repeat(1 + at % 40));
            }
        }
    }
}

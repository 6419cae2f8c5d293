package org.cagate.pki.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.cagate.pki.Challenge;
import org.cagate.pki.Reason;

/**
 * {@link Challenge#parse} on hostile bytes: the only failure is CHALLENGE_MALFORMED, and whatever it
 * accepts is exactly the canonical text of what it returns (so the agent and the server can never read
 * the same bytes differently). Near-valid texts change one line, one character or the line structure of
 * a valid challenge, which is where a lenient parser would slip.
 */
class ChallengeFuzzTests {

    private static final Set<Reason> MALFORMED = Set.of(Reason.CHALLENGE_MALFORMED);
    private static final String[] KEYS = {"purpose", "origin", "provider", "nonce", "issued-at"};

    @Property(tries = 10_000)
    void parseWhenRandomBytesThenMalformedOrCanonical(@ForAll("randomBytes") byte[] input) {
        parseStrictly(input);
    }

    @Property(tries = 10_000)
    void parseWhenNearValidTextThenMalformedOrCanonical(@ForAll("nearValid") byte[] input) {
        parseStrictly(input);
    }

    @Property(tries = 1_000)
    void parseWhenValidThenSameChallenge(@ForAll("valid") Challenge challenge) {
        var parsed = Hostile.run("Challenge.parse", challenge, () -> Challenge.parse(challenge.toBytes()));

        assertThat(parsed.failed())
                .as("refused %s: %s", challenge, parsed.failure())
                .isFalse();
        assertThat(parsed.value()).isEqualTo(challenge);
    }

    private static void parseStrictly(byte[] input) {
        var parsed = Hostile.run("Challenge.parse", input, () -> Challenge.parse(input));
        Hostile.requireOnly(parsed, MALFORMED, "Challenge.parse", input);
        Hostile.run("Challenge.looksLikeChallenge", input, () -> Challenge.looksLikeChallenge(input));
        if (!parsed.failed()) {
            assertThat(parsed.value().toBytes())
                    .as("accepted bytes must be the canonical text")
                    .isEqualTo(input);
        }
        Statistics.collect(parsed.failed() ? "refused" : "accepted");
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(1100);
        Arbitrary<byte[]> magicThenRandom = Arbitraries.strings()
                .ofMaxLength(300)
                .map(s -> (Challenge.MAGIC + "\n" + s).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(raw, magicThenRandom);
    }

    @Provide
    Arbitrary<Challenge> valid() {
        return Combinators.combine(
                        Arbitraries.of(Challenge.Purpose.class),
                        origins(),
                        Arbitraries.strings()
                                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
                                .ofMinLength(1)
                                .ofMaxLength(32),
                        Arbitraries.bytes().array(byte[].class).ofSize(Challenge.NONCE_BYTES),
                        Arbitraries.longs()
                                .between(-62167219200L, 253402300799L)
                                .map(Instant::ofEpochSecond))
                .as(Challenge::new);
    }

    private static Arbitrary<String> origins() {
        Arbitrary<String> label = Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyz0123456789")
                .ofMinLength(1)
                .ofMaxLength(12);
        Arbitrary<String> top =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> name = Combinators.combine(label.list().ofMaxSize(3), top)
                .as((labels, last) -> labels.isEmpty() ? last : String.join(".", labels) + "." + last);
        Arbitrary<String> ipv4 = Arbitraries.integers()
                .between(0, 255)
                .list()
                .ofSize(4)
                .map(parts ->
                        String.join(".", parts.stream().map(String::valueOf).toList()));
        Arbitrary<String> host = Arbitraries.frequencyOf(Tuple.of(4, name), Tuple.of(1, ipv4));
        Arbitrary<String> port = Arbitraries.oneOf(
                Arbitraries.just(""), Arbitraries.integers().between(1, 65535).map(p -> ":" + p));
        return Combinators.combine(Arbitraries.of("https://", "http://"), host, port)
                .as((s, h, p) -> s + h + p);
    }

    /** A valid challenge with one to three changes of a line value, a line, or a few bytes. */
    @Provide
    Arbitrary<byte[]> nearValid() {
        Arbitrary<Edit> edit = Combinators.combine(
                        Arbitraries.of(Edit.Kind.class), Arbitraries.integers().between(0, 1000), tricky())
                .as(Edit::new);
        Arbitrary<byte[]> edited = Combinators.combine(
                        valid(), edit.list().ofMinSize(1).ofMaxSize(3))
                .as((challenge, edits) -> {
                    List<String> lines =
                            new ArrayList<>(Arrays.asList(challenge.toText().split("\n", -1)));
                    for (Edit e : edits) {
                        e.apply(lines);
                    }
                    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
                });
        Arbitrary<byte[]> valid = valid().map(Challenge::toBytes);
        return Arbitraries.frequencyOf(Tuple.of(3, edited), Tuple.of(1, ByteMutation.of(valid, valid)));
    }

    /** Values a sloppy parser might take: other spellings of valid ones, and ones just outside the rules. */
    private static Arbitrary<String> tricky() {
        Arbitrary<String> listed = Arbitraries.of(
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
        return Arbitraries.oneOf(listed, Arbitraries.strings().ofMaxLength(50));
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

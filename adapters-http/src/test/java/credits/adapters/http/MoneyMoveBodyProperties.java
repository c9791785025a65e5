package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credits.adapters.http.support.ApiFixture;
import credits.application.port.in.DeductCredits;
import credits.application.port.in.GrantCredits;
import credits.application.port.in.RefundDeduction;
import credits.application.port.in.TopupCredits;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.LedgerEntry;
import credits.domain.MoveOutcome;
import credits.domain.Usdc;
import credits.domain.UserId;
import credits.testing.Gen;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Requests.JSON;
import static credits.adapters.http.support.Requests.post;
import static credits.testing.Gen.oneOf;
import static credits.testing.Gen.weight;
import static credits.testing.PropertyCheck.forAll;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * The bodies of the three money-moving POSTs, sent through the real routing (strict UTF-8 and JSON,
 * then the request records' field rules): whatever arrives is either a request the use case receives
 * exactly as the client wrote it, or a 400 VALIDATION_ERROR naming fields (or, for a refund naming an id that
 * cannot be ours, a 404), and no use case runs. Never a
 * 5xx. The use cases record what they receive, so "exactly as written" is observed, not assumed.
 */
class MoneyMoveBodyProperties {

    private static final String KEY = "key-1";
    private static final String ADMIN_ID = "admin_1";
    private static final String METER_ID = "meter_1";
    private static final LedgerEntry ENTRY = ApiFixture.grantEntry(1, "user_1", "1");
    private static final AtomicReference<Object> RECEIVED = new AtomicReference<>();
    private static final DirectClient CLIENT = ApiFixture.client(recordingUseCases(), AuthSettings.hmac(SECRET));
    /** A lenient reader, to say what a body that was accepted means. */
    private static final ObjectMapper PLAIN_JSON = new ObjectMapper();
    private static final List<String> WRONG_TYPES = List.of("0", "1", "25.50", "-1", "1e3", "true", "false", "[]", "[\"1\"]",
            "{}", "{\"value\":\"1\"}");

    enum Endpoint {
        GRANT(ApiFixture.GRANT, bearer(ADMIN_ID, ADMIN), List.of("user_id", "amount_usdc"), List.of("reason")),
        DEDUCTION(ApiFixture.DEDUCTIONS, bearer(METER_ID, METER), List.of("user_id", "amount_usdc"), List.of("reference")),
        REFUND(ApiFixture.REFUNDS, bearer(ADMIN_ID, ADMIN), List.of("deduction_id", "reason"), List.of("amount_usdc"));

        final String path;
        final String token;
        final List<String> required;
        final List<String> optional;

        Endpoint(String path, String token, List<String> required, List<String> optional) {
            this.path = path;
            this.token = token;
            this.required = required;
            this.optional = optional;
        }

        boolean knows(String field) {
            return required.contains(field) || optional.contains(field);
        }
    }

    /** One member of a body: {@code value} is the string it carries, {@code null} when its JSON is anything else. */
    record Member(String name, String value, String json) {
        static Member text(String name, String value, boolean asciiOnly) {
            return new Member(name, value, quoted(value, asciiOnly));
        }

        static Member raw(String name, String json) {
            return new Member(name, null, json);
        }
    }

    /** A body as a list of members, so keys can repeat and come in any order. */
    record Body(Endpoint endpoint, List<Member> members) {
        String text() {
            return members.stream().map(m -> quoted(m.name(), true) + ":" + m.json()).collect(Collectors.joining(",", "{", "}"));
        }

        /** What the use case must receive: every string member, normalised as the domain compares it. */
        Map<String, String> expected() {
            Map<String, String> expected = new LinkedHashMap<>();
            members.stream().filter(m -> m.value() != null).forEach(m -> expected.put(m.name(), normalised(m.name(), m.value())));
            return expected;
        }

        Body with(List<Member> changed) {
            return new Body(endpoint, changed);
        }

        @Override
        public String toString() {
            return endpoint + " " + text();
        }
    }

    /** Whatever bytes, and where they are sent. */
    record Sent(Endpoint endpoint, byte[] body) {
        static Sent text(Endpoint endpoint, String text) {
            return new Sent(endpoint, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return endpoint + " " + HexFormat.of().formatHex(body) + " (" + new String(body, StandardCharsets.UTF_8) + ")";
        }
    }

    /** A body with exactly one thing wrong, and the one field the 400 must name. */
    record Mutated(Body body, String field, String how) {
        @Override
        public String toString() {
            return how + " " + field + ": " + body;
        }
    }

    // ---- properties ------------------------------------------------------------------------------------

    private static final int TRIES = 300;

    @Test
    void everyValidBodyReachesTheUseCaseExactlyAsWritten() {
        forAll(TRIES, validBodies()).check(body -> {
            ClientResponseTyped<String> response = send(body.endpoint(), body.text().getBytes(StandardCharsets.UTF_8));

            assertThat(body + " → " + response.entity(), response.status().code(), is(201));
            assertThat(received(body.endpoint()), is(body.expected()));
        });
    }

    @Test
    void bodyWithOneFieldWrongIsRefusedNamingExactlyThatFieldAndNothingRuns() {
        forAll(TRIES, mutatedBodies())
                .requireMoreThanPercent(5, "wrong type for", "twice", "unknown field", "left out")
                .classify(mutated -> {
                    ClientResponseTyped<String> response = send(mutated.body().endpoint(), mutated.body().text().getBytes(StandardCharsets.UTF_8));

                    assertThat(refusedFields(response), is(List.of(mutated.field())));
                    return mutated.how();
                });
    }

    @Test
    void anyJsonLikeTextIsAcceptedAsWrittenOrRefusedWithA400NamingFields() {
        // Some of it must get through, or "accepted as written" would never be checked.
        forAll(TRIES, jsonLikeText())
                .requireMoreThanPercent(5, "accepted")
                .requireMoreThanPercent(50, "refused")
                .classify(sent -> assertAcceptedAsWrittenOrRefused(sent) ? "accepted" : "refused");
    }

    @Test
    void anyBytesAreAcceptedAsWrittenOrRefusedWithA400NamingFields() {
        // Almost all of these are refused (broken UTF-8 or JSON); the few edits that land inside a value are checked as accepted.
        forAll(TRIES, anyBytes()).check(MoneyMoveBodyProperties::assertAcceptedAsWrittenOrRefused);
    }

    /** @return whether the body was accepted */
    private static boolean assertAcceptedAsWrittenOrRefused(Sent sent) {
        Endpoint endpoint = sent.endpoint();
        byte[] bytes = sent.body();
        ClientResponseTyped<String> response = send(endpoint, bytes);
        boolean accepted = response.status().code() == 201;
        if (accepted) {
            assertThat(received(endpoint), is(meaning(endpoint, bytes)));
        } else if (response.status().code() == 404) {
            assertUnknownDeduction(endpoint, bytes, response);
        } else {
            refusedFields(response);
        }
        return accepted;
    }

    // ---- sending and observing ---------------------------------------------------------------------------

    private static ClientResponseTyped<String> send(Endpoint endpoint, byte[] body) {
        RECEIVED.set(null);
        return post(CLIENT, endpoint.path, endpoint.token, KEY, JSON, body);
    }

    /**
     * A refund whose fields are all well formed but whose {@code deduction_id} cannot be one of ours (not a
     * UUID) is an unknown deduction: 404, and no use case runs.
     */
    private static void assertUnknownDeduction(Endpoint endpoint, byte[] bytes, ClientResponseTyped<String> response) {
        assertProblem(response, 404, "NOT_FOUND");
        assertThat("only a refund names an id", endpoint, is(Endpoint.REFUND));
        assertThat("no use case may run for an id that is not ours", RECEIVED.get(), nullValue());
        String deductionId = meaning(endpoint, bytes).get("deduction_id");
        assertThat("the 404 is for a deduction id that cannot be ours: " + deductionId,
                deductionId != null && EntryId.find(deductionId).isEmpty(), is(true));
    }

    /** Asserts a 400 VALIDATION_ERROR problem on which no use case ran; returns the fields it names. */
    private static List<String> refusedFields(ClientResponseTyped<String> response) {
        JsonNode problem = assertProblem(response, 400, "VALIDATION_ERROR");
        assertThat("no use case may run on a refused body", RECEIVED.get(), nullValue());
        List<String> fields = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            assertThat(error.toString(), error.path("field").isTextual(), is(true));
            assertThat(error.toString(), error.path("message").asText(), not(is("")));
            fields.add(error.path("field").textValue());
        }
        assertThat(problem.toString(), fields, not(empty()));
        return fields;
    }

    /** The command the use case received, as the same name → value map {@link Body#expected()} gives. */
    private static Map<String, String> received(Endpoint endpoint) {
        Object command = RECEIVED.get();
        Map<String, String> seen = new LinkedHashMap<>();
        switch (command) {
            case GrantCredits.Command grant -> {
                assertThat(endpoint, is(Endpoint.GRANT));
                assertThat(grant.caller().value(), is(ADMIN_ID));
                assertThat(grant.key().value(), is(KEY));
                seen.put("user_id", grant.userId().value());
                seen.put("amount_usdc", Long.toString(grant.amount().units()));
                grant.reason().ifPresent(reason -> seen.put("reason", reason));
            }
            case DeductCredits.Command deduction -> {
                assertThat(endpoint, is(Endpoint.DEDUCTION));
                assertThat(deduction.caller().value(), is(METER_ID));
                assertThat(deduction.key().value(), is(KEY));
                seen.put("user_id", deduction.userId().value());
                seen.put("amount_usdc", Long.toString(deduction.amount().units()));
                deduction.reference().ifPresent(reference -> seen.put("reference", reference));
            }
            case RefundDeduction.Command refund -> {
                assertThat(endpoint, is(Endpoint.REFUND));
                assertThat(refund.caller().value(), is(ADMIN_ID));
                assertThat(refund.key().value(), is(KEY));
                seen.put("deduction_id", refund.deductionId().value().toString());
                refund.amount().ifPresent(amount -> seen.put("amount_usdc", Long.toString(amount.units())));
                seen.put("reason", refund.reason());
            }
            case null, default -> throw new AssertionError("a 201 without the use case receiving a command: " + command);
        }
        return seen;
    }

    /** What an accepted body says, read by a lenient JSON reader: its string members, normalised. */
    private static Map<String, String> meaning(Endpoint endpoint, byte[] bytes) {
        JsonNode body;
        try {
            body = PLAIN_JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("accepted a body that is not JSON", e);
        }
        Map<String, String> meaning = new LinkedHashMap<>();
        body.properties().forEach(member -> {
            assertThat("accepted an unknown field " + member.getKey(), endpoint.knows(member.getKey()), is(true));
            if (member.getValue().isTextual()) {
                meaning.put(member.getKey(), normalised(member.getKey(), member.getValue().textValue()));
            }
        });
        return meaning;
    }

    /** Amounts as exact units, entry ids in lower case: how the domain compares them. */
    private static String normalised(String field, String value) {
        return switch (field) {
            case "amount_usdc" -> new BigDecimal(value).movePointRight(Usdc.SCALE).toBigIntegerExact().toString();
            case "deduction_id" -> value.toLowerCase(Locale.ROOT);
            default -> value;
        };
    }

    private static UseCases recordingUseCases() {
        GrantCredits grant = command -> record(command);
        DeductCredits deduct = command -> record(command);
        RefundDeduction refund = command -> record(command);
        TopupCredits topup = command -> record(command);
        UseCases mocked = ApiFixture.mockedUseCases();
        return new UseCases(mocked.getOrCreateCredit(), mocked.findCredit(), grant, topup, deduct, refund,
                mocked.listTransactions(), mocked.listLots(), mocked.placeHold(), mocked.captureHold(),
                mocked.releaseHold(), mocked.findHold(), mocked.listHolds(), mocked.getLowBalanceThreshold(),
                mocked.setLowBalanceThreshold(), mocked.createWebhookEndpoint(), mocked.listWebhookEndpoints(),
                mocked.deleteWebhookEndpoint(), mocked.listWebhookDeliveries());
    }

    private static MoveOutcome record(Object command) {
        RECEIVED.set(command);
        return new MoveOutcome.Applied(ENTRY);
    }

    /** A JSON string literal; {@code asciiOnly} escapes everything outside printable ASCII (lone surrogates included). */
    static String quoted(String value, boolean asciiOnly) {
        StringBuilder json = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || (asciiOnly && c > 0x7e)) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    // ---- generators ----------------------------------------------------------------------------------------

    static Gen<Body> validBodies() {
        return Gen.elements(Endpoint.class).flatMap(endpoint -> Gen.booleans().flatMap(asciiOnly -> members(endpoint, asciiOnly)
                .flatMap(Gen::shuffled)
                .map(members -> new Body(endpoint, members))));
    }

    private static Gen<List<Member>> members(Endpoint endpoint, boolean ascii) {
        return random -> switch (endpoint) {
            case GRANT -> listOf(optional("reason", reasons(), ascii).next(random),
                    Member.text("user_id", userIds().next(random), ascii), Member.text("amount_usdc", amounts().next(random), ascii));
            case DEDUCTION -> listOf(optional("reference", references(), ascii).next(random),
                    Member.text("user_id", userIds().next(random), ascii), Member.text("amount_usdc", amounts().next(random), ascii));
            case REFUND -> listOf(optional("amount_usdc", amounts(), ascii).next(random),
                    Member.text("deduction_id", deductionIds().next(random), ascii), Member.text("reason", reasons().next(random), ascii));
        };
    }

    private static List<Member> listOf(Optional<Member> optional, Member... required) {
        List<Member> members = new ArrayList<>(List.of(required));
        optional.ifPresent(members::add);
        return members;
    }

    /** An optional member: left out, {@code null} (the same as left out), or a value. */
    private static Gen<Optional<Member>> optional(String name, Gen<String> values, boolean ascii) {
        return Gen.frequency(List.of(
                weight(1, Gen.constant(Optional.<Member>empty())),
                weight(1, Gen.constant(Optional.of(Member.raw(name, "null")))),
                weight(3, values.map(value -> Optional.of(Member.text(name, value, ascii))))));
    }

    static Gen<Mutated> mutatedBodies() {
        return validBodies().flatMap(body -> oneOf(
                wrongType(body), duplicated(body), unknownFieldAdded(body), requiredFieldLeftOut(body)));
    }

    private static Gen<Mutated> wrongType(Body body) {
        return random -> {
            List<Member> changed = new ArrayList<>(body.members());
            int at = Gen.ints(0, changed.size() - 1).next(random);
            String name = changed.get(at).name();
            changed.set(at, Member.raw(name, Gen.elements(WRONG_TYPES).next(random)));
            return new Mutated(body.with(changed), name, "wrong type for");
        };
    }

    private static Gen<Mutated> duplicated(Body body) {
        Gen<String> anyJson = oneOf(Gen.elements(WRONG_TYPES), Gen.constant("null"),
                Gen.elements(body.members()).map(Member::json));
        return random -> {
            Member member = Gen.elements(body.members()).next(random);
            List<Member> changed = new ArrayList<>(body.members());
            changed.add(Gen.ints(0, changed.size()).next(random), Member.raw(member.name(), anyJson.next(random)));
            return new Mutated(body.with(changed), member.name(), "twice");
        };
    }

    private static Gen<Mutated> unknownFieldAdded(Body body) {
        Gen<String> names = oneOf(
                Gen.elements("amount", "User_Id", "user_id ", "userId", "reason", "reference", "user_id", "deduction_id", "id", ""),
                Gen.strings(Gen.chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"), 0, 20),
                Gen.strings(ANY_CHAR, 0, 20));
        Gen<String> anyJson = oneOf(Gen.elements(WRONG_TYPES), Gen.constant("null"),
                Gen.strings(ANY_CHAR, 0, 20).map(text -> quoted(text, true)));
        Gen<String> unknownNames = names.filter(name -> !body.endpoint().knows(name));
        return random -> {
            String name = unknownNames.next(random);
            List<Member> changed = new ArrayList<>(body.members());
            changed.add(Gen.ints(0, changed.size()).next(random), Member.raw(name, anyJson.next(random)));
            return new Mutated(body.with(changed), name, "unknown field");
        };
    }

    private static Gen<Mutated> requiredFieldLeftOut(Body body) {
        return Gen.elements(body.endpoint().required).map(name -> {
            List<Member> changed = new ArrayList<>(body.members());
            changed.removeIf(member -> member.name().equals(name));
            return new Mutated(body.with(changed), name, "left out");
        });
    }

    private static final Gen<Character> ANY_CHAR = Gen.chars('\u0000', '\uffff');

    static Gen<Sent> jsonLikeText() {
        Gen<String> token = oneOf(
                Gen.elements("{", "}", "[", "]", ":", ",", "\"user_id\"", "\"amount_usdc\"", "\"reason\"", "\"reference\"",
                        "\"deduction_id\"", "\"1\"", "\"0.5\"", "\"25.50\"", "\"0\"", "\"-1\"", "\"1e3\"", "1", "1.5", "-0", "1e999",
                        "null", "true", "false", "\"user_1\"", "\"123e4567-e89b-12d3-a456-426614174000\"", "\"\\u0000\"",
                        "\"\\ud800\"", "\"\\\\\"", "\"", " ", "\n", "/*", "'", "NaN", "\u00e9", "\uD83D\uDE00", "\u0000",
                        // Not hex digits, though their low bytes are: "\\u004\u0131" once read as "A".
                        "\\u004\u0131", "\"x\\u000\u3339\"", "\\u00\u0130\u0131", "\\\\u004\u0131"),
                Gen.strings(ANY_CHAR, 0, 6).map(text -> quoted(text, true)),
                Gen.strings(ANY_CHAR, 0, 3));
        Gen<String> tokens = token.list(0, 30).map(list -> String.join("", list));
        Gen<Sent> tokenSoup = Gen.elements(Endpoint.class).flatMap(endpoint ->
                oneOf(tokens, tokens.map(text -> "{" + text + "}"), Gen.strings(ANY_CHAR, 0, 40)).map(text -> Sent.text(endpoint, text)));
        // A valid body with a token put in and up to three characters cut: near misses, sent where they belong.
        Gen<Sent> nearlyValid = validBodies().flatMap(body -> random -> {
            String text = body.text();
            int at = Gen.uniformInts(0, text.length()).next(random);
            int cut = Gen.ints(0, 3).next(random);
            return Sent.text(body.endpoint(), text.substring(0, at) + token.next(random) + text.substring(Math.min(text.length(), at + cut)));
        });
        return oneOf(tokenSoup, nearlyValid, validBodies().map(body -> Sent.text(body.endpoint(), body.text())),
                lookalikeHexEscape());
    }

    /** A valid body with an escape appended to one string value whose last "digit" only has a hex digit's low byte. */
    private static Gen<Sent> lookalikeHexEscape() {
        Gen<Character> lookalike = Gen.chars("0123456789abcdefABCDEF").flatMap(digit ->
                Gen.uniformInts(0x01, 0xFF).filter(high -> high < 0xD8 || high > 0xDF).map(high -> (char) (high << 8 | digit)));
        return validBodies().flatMap(body -> random -> {
            List<Member> strings = body.members().stream().filter(member -> member.value() != null).toList();
            Member member = Gen.elements(strings).next(random);
            char digit = lookalike.next(random);
            List<Member> changed = new ArrayList<>(body.members());
            String json = member.json();
            changed.set(changed.indexOf(member), Member.raw(member.name(), json.substring(0, json.length() - 1) + "\\u004" + digit + "\""));
            return Sent.text(body.endpoint(), body.with(changed).text());
        });
    }

    static Gen<Sent> anyBytes() {
        Gen<Sent> editedValidBody = validBodies().flatMap(body -> random -> {
            byte[] edited = body.text().getBytes(StandardCharsets.UTF_8);
            // Uniform, not leaning towards the start: the edit may land anywhere in the body.
            int at = Gen.uniformInts(0, edited.length - 1).next(random);
            byte[] replacement = replacementBytes().next(random);
            System.arraycopy(replacement, 0, edited, at, Math.min(replacement.length, edited.length - at));
            return new Sent(body.endpoint(), edited);
        });
        Gen<Sent> randomBytes = Gen.elements(Endpoint.class).flatMap(endpoint -> Gen.bytes(0, 200).map(bytes -> new Sent(endpoint, bytes)));
        return oneOf(randomBytes, editedValidBody);
    }

    /** What overwrites part of a valid body: any bytes, printable ASCII, or a whole character in UTF-8. */
    private static Gen<byte[]> replacementBytes() {
        return oneOf(
                Gen.bytes(1, 3),
                Gen.bytes((byte) 0x20, (byte) 0x7e, 1, 3),
                Gen.uniformInts(0x80, Character.MAX_CODE_POINT)
                        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                        .map(cp -> Character.toString(cp).getBytes(StandardCharsets.UTF_8)));
    }

    static Gen<String> userIds() {
        Gen<Integer> codePoint = Gen.frequency(List.of(
                weight(6, Gen.uniformInts(0x20, 0x7E)),
                weight(2, Gen.uniformInts(0xA0, Character.MIN_SURROGATE - 1)),
                weight(1, Gen.uniformInts(Character.MAX_SURROGATE + 1, 0xFFFF)),
                weight(2, Gen.uniformInts(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT))));
        return oneOf(
                Gen.strings(Gen.chars("abcdefghijklmnopqrstuvwxyz_0123456789"), 1, 20),
                Gen.codePoints(codePoint, 1, UserId.MAX_LENGTH));
    }

    /** Any amount from the smallest unit to the cap, spelled with 0–7 fraction digits (as many as needed, or more). */
    static Gen<String> amounts() {
        Gen<Long> units = oneOf(
                Gen.longs(1, 1_000 * Usdc.UNITS_PER_USDC),
                Gen.longs(1, Usdc.MAX_INPUT.units()));
        return units.flatMap(amount -> Gen.ints(0, Usdc.SCALE).map(extraDigits -> {
            BigDecimal exact = BigDecimal.valueOf(amount, Usdc.SCALE).stripTrailingZeros();
            int digits = Math.min(Usdc.SCALE, Math.max(exact.scale(), 0) + extraDigits);
            return exact.setScale(digits).toPlainString();
        }));
    }

    /** Admin reasons: up to 1000 characters, line breaks and tabs allowed, not blank. */
    static Gen<String> reasons() {
        return freeText("\n\r\t", 1000);
    }

    /** Usage references: up to 255 characters on one line, not blank. */
    static Gen<String> references() {
        return freeText("", 255);
    }

    private static Gen<String> freeText(String controlsAllowed, int maxLength) {
        Gen<Integer> codePoint = Gen.frequency(List.of(
                weight(8, Gen.uniformInts(0x20, 0x7E)),
                weight(1, Gen.elements(controlsAllowed.isEmpty() ? List.of((int) ' ') : controlsAllowed.chars().boxed().toList())),
                weight(2, Gen.uniformInts(0xA0, Character.MIN_SURROGATE - 1)),
                weight(1, Gen.uniformInts(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT))));
        return oneOf(
                        Gen.codePoints(codePoint, 1, 40),
                        Gen.codePoints(codePoint, 1, maxLength))
                .filter(text -> !text.isBlank());
    }

    static Gen<String> deductionIds() {
        return random -> {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();
            return random.nextBoolean() ? id.toUpperCase(Locale.ROOT) : id;
        };
    }
}

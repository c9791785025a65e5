package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.Requests;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.LedgerEntry;
import credits.domain.MoveOutcome;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.REFUNDS;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Requests.JSON;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * Money-moving POSTs that must be refused before any use case runs: the contract's order of checks,
 * 415, 413, the idempotency key, and every malformed body, each naming all of its bad fields. The use
 * cases are mocks so "nothing ran" is observed directly; nothing here depends on storage.
 */
@RoutingTest
class MoneyMoveValidationTest {

    private static final UseCases USE_CASES = ApiFixture.mockedUseCases();
    private static final String ADMIN_TOKEN = bearer("admin_1", ADMIN);
    private static final String METER_TOKEN = bearer("meter_1", METER);
    private static final String KEY = "key-1";
    private static final String VALID_GRANT = "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\"}";
    private static final String DEDUCTION_ID = "123e4567-e89b-12d3-a456-426614174000";
    private static final LedgerEntry ENTRY = ApiFixture.grantEntry(1, "user_1", "1");

    private final DirectClient client;

    MoneyMoveValidationTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ApiFixture.route(routing, USE_CASES, AuthSettings.hmac(SECRET));
    }

    @BeforeEach
    void freshMocks() {
        reset(USE_CASES.grantCredits(), USE_CASES.deductCredits(), USE_CASES.refundDeduction());
        when(USE_CASES.grantCredits().grant(any())).thenReturn(new MoveOutcome.Applied(ENTRY));
        when(USE_CASES.deductCredits().deduct(any())).thenReturn(new MoveOutcome.Applied(ENTRY));
        when(USE_CASES.refundDeduction().refund(any())).thenReturn(new MoveOutcome.Applied(ENTRY));
    }

    private static void assertNoUseCaseRan() {
        verifyNoInteractions(USE_CASES.getOrCreateCredit(), USE_CASES.findCredit(), USE_CASES.grantCredits(),
                USE_CASES.deductCredits(), USE_CASES.refundDeduction(), USE_CASES.listTransactions());
    }

    private static String tokenFor(String path) {
        return DEDUCTIONS.equals(path) ? METER_TOKEN : ADMIN_TOKEN;
    }

    private static List<String> fields(JsonNode problem) {
        List<String> names = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            names.add(error.path("field").asText());
            assertThat(error.toString(), error.path("message").asText().isEmpty(), is(false));
        }
        return names;
    }

    private void assertRefusedNaming(ClientResponseTyped<String> response, String... expectedFields) {
        JsonNode problem = assertProblem(response, 400, "VALIDATION_ERROR");
        assertThat(fields(problem), containsInAnyOrder((Object[]) expectedFields));
        assertNoUseCaseRan();
    }

    // ---- the table of malformed bodies -------------------------------------------------------------

    /** One malformed body: where it is sent, and every field the 400 must name. */
    record Malformed(String path, String body, List<String> fields) {
        @Override
        public String toString() {
            String shown = body.length() > 80 ? body.substring(0, 80) + "…(" + body.length() + " chars)" : body;
            return path.substring(path.lastIndexOf('/') + 1) + " " + shown + " → " + fields;
        }
    }

    private static Malformed bad(String path, String body, String... fields) {
        return new Malformed(path, body, List.of(fields));
    }

    /** Amounts the contract's grammar refuses, as JSON values: strings, numbers, other types. */
    private static final List<String> BAD_AMOUNTS = List.of(
            "25.5", "25", "0", "1e3", "\"\"", "\"0\"", "\"0.0\"", "\"0.0000000\"", "\"-1\"", "\"+1\"", "\"1e3\"", "\"1E3\"",
            "\" 1\"", "\"1 \"", "\"01\"", "\"00\"", "\"1.\"", "\".5\"", "\"1.12345678\"", "\"10000000000.0000001\"",
            "\"10000000001\"", "\"99999999999999999999\"", "\"1,5\"", "\"1_000\"", "\"0x10\"", "\"NaN\"", "\"Infinity\"",
            "\"\\u0661\"", "\"\\uff11\"", "\"1\\u0000\"", "\"1.5 USDC\"", "true", "[]", "{}", "[\"1\"]");

    static Stream<Malformed> malformedAmounts() {
        return BAD_AMOUNTS.stream().flatMap(amount -> Stream.of(
                bad(GRANT, "{\"user_id\":\"user_1\",\"amount_usdc\":" + amount + "}", "amount_usdc"),
                bad(DEDUCTIONS, "{\"user_id\":\"user_1\",\"amount_usdc\":" + amount + "}", "amount_usdc"),
                bad(REFUNDS, "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"amount_usdc\":" + amount + ",\"reason\":\"r\"}", "amount_usdc")));
    }

    static Stream<Malformed> malformedFields() {
        String longId = "u".repeat(256);
        String reason1001 = "r".repeat(1001);
        String reference256 = "x".repeat(256);
        return Stream.of(
                // grant
                bad(GRANT, "{}", "user_id", "amount_usdc"),
                bad(GRANT, "{\"user_id\":\"user_1\"}", "amount_usdc"),
                bad(GRANT, "{\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":null,\"amount_usdc\":null}", "user_id", "amount_usdc"),
                bad(GRANT, "{\"user_id\":42,\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":\"\",\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":true,\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":[\"user_1\"],\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":\"" + longId + "\",\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":\"a\\u0000b\",\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":\"a\\nb\",\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":\"\\ud800\",\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reason\":\"\"}", "reason"),
                bad(GRANT, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reason\":\"   \"}", "reason"),
                bad(GRANT, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reason\":\"" + reason1001 + "\"}", "reason"),
                bad(GRANT, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reason\":\"bell\\u0007\"}", "reason"),
                bad(GRANT, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reason\":42}", "reason"),
                bad(GRANT, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"note\":\"x\"}", "note"),
                bad(GRANT, "{\"user_id\":\"user_1\",\"amount\":\"1\"}", "amount", "amount_usdc"),
                bad(GRANT, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reference\":\"x\"}", "reference"),
                bad(GRANT, "{\"User_Id\":\"user_1\",\"amount_usdc\":\"1\"}", "User_Id", "user_id"),
                bad(GRANT, "{\"user_id\":\"a\",\"user_id\":\"b\",\"amount_usdc\":\"1\"}", "user_id"),
                bad(GRANT, "{\"user_id\":\"a\",\"amount_usdc\":\"1\",\"amount_usdc\":\"1\"}", "amount_usdc"),
                bad(GRANT, "{\"user_id\":5,\"amount_usdc\":1,\"reason\":\"\",\"extra\":true}", "extra", "user_id", "amount_usdc", "reason"),
                // deduction
                bad(DEDUCTIONS, "{}", "user_id", "amount_usdc"),
                bad(DEDUCTIONS, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reference\":\"\"}", "reference"),
                bad(DEDUCTIONS, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reference\":\"" + reference256 + "\"}", "reference"),
                bad(DEDUCTIONS, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reference\":\"line\\nbreak\"}", "reference"),
                bad(DEDUCTIONS, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reference\":\"tab\\there\"}", "reference"),
                bad(DEDUCTIONS, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reference\":7}", "reference"),
                bad(DEDUCTIONS, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reason\":\"x\"}", "reason"),
                bad(DEDUCTIONS, "{\"user_id\":\"\",\"amount_usdc\":\"-0.5\",\"reference\":\"\\u001b[31m\",\"x\":1}", "x", "user_id", "amount_usdc", "reference"),
                // refund
                bad(REFUNDS, "{}", "deduction_id", "reason"),
                bad(REFUNDS, "{\"deduction_id\":\"" + DEDUCTION_ID + "\"}", "reason"),
                bad(REFUNDS, "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"reason\":null}", "reason"),
                bad(REFUNDS, "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"reason\":\"\"}", "reason"),
                bad(REFUNDS, "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"reason\":\"" + reason1001 + "\"}", "reason"),
                // Not a JSON string: malformed whatever the id. Any string is an id (see unknownDeductionIds).
                bad(REFUNDS, "{\"deduction_id\":42,\"reason\":\"r\"}", "deduction_id"),
                bad(REFUNDS, "{\"deduction_id\":null,\"reason\":\"r\"}", "deduction_id"),
                bad(REFUNDS, "{\"deduction_id\":true,\"reason\":\"r\"}", "deduction_id"),
                bad(REFUNDS, "{\"deduction_id\":[\"" + DEDUCTION_ID + "\"],\"reason\":\"r\"}", "deduction_id"),
                bad(REFUNDS, "{\"deduction_id\":{\"id\":\"" + DEDUCTION_ID + "\"},\"reason\":\"r\"}", "deduction_id"),
                bad(REFUNDS, "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"reason\":\"r\",\"user_id\":\"u\"}", "user_id"),
                // The other fields are still checked when the id is not one of ours, and the 400 comes first.
                bad(REFUNDS, "{\"deduction_id\":\"x\",\"amount_usdc\":\"0\",\"reason\":\"\",\"more\":[]}", "more", "amount_usdc", "reason"));
    }

    static Stream<Malformed> malformedDocuments() {
        List<String> documents = List.of("", "   ", "{", "{\"user_id\":", "[]", "[{\"user_id\":\"user_1\",\"amount_usdc\":\"1\"}]",
                "\"text\"", "42", "null", "true", "{} {}", VALID_GRANT + "x", "{\"user_id\":\"user_1\",}",
                "{'user_id':'user_1'}", "{user_id:\"user_1\"}", "/* comment */ " + VALID_GRANT,
                "{\"user_id\":\"user_1\",\"amount_usdc\":NaN}", "{\"a\":{\"k\":1,\"k\":2}}",
                "[".repeat(5000) + "]".repeat(5000), "{\"user_id\":\"unterminated}",
                // "\u0131" is not a hex digit, though Jackson's parser over characters once read this user id as "user_A".
                "{\"user_id\":\"user_\\u004\u0131\",\"amount_usdc\":\"1\"}");
        return Stream.of(GRANT, DEDUCTIONS, REFUNDS)
                .flatMap(path -> documents.stream().map(document -> bad(path, document, "body")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedAmounts")
    void malformedAmountIsRefusedNamingTheAmountAndNoUseCaseRuns(Malformed request) {
        assertRefusedNaming(post(client, request.path(), tokenFor(request.path()), KEY, request.body()), request.fields().toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFields")
    void malformedFieldsAreRefusedNamingEveryOneAndNoUseCaseRuns(Malformed request) {
        assertRefusedNaming(post(client, request.path(), tokenFor(request.path()), KEY, request.body()), request.fields().toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDocuments")
    void bodyThatIsNotOneJsonObjectIsRefusedNamingTheBodyAndNoUseCaseRuns(Malformed request) {
        assertRefusedNaming(post(client, request.path(), tokenFor(request.path()), KEY, request.body()), "body");
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("invalidUtf8")
    void bodyThatIsNotUtf8IsRefusedNamingTheBody(byte[] body) {
        for (String path : List.of(GRANT, DEDUCTIONS, REFUNDS)) {
            JsonNode problem = assertProblem(post(client, path, tokenFor(path), KEY, JSON, body), 400, "VALIDATION_ERROR");
            assertThat(fields(problem), containsInAnyOrder("body"));
        }
        assertNoUseCaseRan();
    }

    static Stream<byte[]> invalidUtf8() {
        byte[] prefix = "{\"user_id\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "\",\"amount_usdc\":\"1\"}".getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                        new byte[]{(byte) 0xC3, 0x28},                      // truncated two-byte sequence
                        new byte[]{(byte) 0xC0, (byte) 0xAF},               // overlong "/"
                        new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},  // a surrogate, CESU-8 style
                        new byte[]{(byte) 0xFF},
                        new byte[]{(byte) 0xE9})                            // "é" in ISO-8859-1
                .map(bad -> concat(prefix, bad, suffix));
    }

    @Test
    void utf16BodyIsRefusedAsNotUtf8() {
        byte[] utf16 = VALID_GRANT.getBytes(StandardCharsets.UTF_16LE);

        assertRefusedNaming(post(client, GRANT, ADMIN_TOKEN, KEY, JSON, utf16), "body");
    }

    // ---- what is accepted, so the table above cannot pass by refusing everything ---------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0.0000001", "1", "25.50", "10000000000", "10000000000.0000000", "9999999999.9999999"})
    void amountsOfTheContractGrammarReachTheUseCase(String amount) {
        ClientResponseTyped<String> response = post(client, GRANT, ADMIN_TOKEN, KEY,
                "{\"user_id\":\"user_1\",\"amount_usdc\":\"" + amount + "\"}");

        assertThat(response.entity(), response.status().code(), is(201));
        verify(USE_CASES.grantCredits()).grant(any());
    }

    @Test
    void optionalFieldsMayBeNullOrLeftOutAndTextMayUseItsFullLength() {
        assertThat(post(client, GRANT, ADMIN_TOKEN, KEY, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reason\":null}").status().code(), is(201));
        assertThat(post(client, GRANT, ADMIN_TOKEN, KEY, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reason\":\"" + "r".repeat(1000) + "\"}")
                .status().code(), is(201));
        assertThat(post(client, GRANT, ADMIN_TOKEN, KEY, "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\",\"reason\":\"two\\nlines\"}").status().code(), is(201));
        assertThat(post(client, DEDUCTIONS, METER_TOKEN, KEY, "{\"user_id\":\"" + "u".repeat(255) + "\",\"amount_usdc\":\"1\",\"reference\":\""
                + "x".repeat(255) + "\"}").status().code(), is(201));
        assertThat(post(client, REFUNDS, ADMIN_TOKEN, KEY, "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"amount_usdc\":null,\"reason\":\"r\"}")
                .status().code(), is(201));
        assertThat(post(client, REFUNDS, ADMIN_TOKEN, KEY, "{\"reason\":\"r\",\"deduction_id\":\"" + DEDUCTION_ID.toUpperCase() + "\"}")
                .status().code(), is(201));
    }

    // ---- unknown ids ---------------------------------------------------------------------------------

    /** Strings that cannot be one of our ids (UUIDs): ids are opaque to clients, so each is just unknown. */
    static Stream<String> unknownDeductionIds() {
        return Stream.of("not-a-uuid", "", " ", "x", "42", "123e4567e89b12d3a456426614174000", "{" + DEDUCTION_ID + "}",
                DEDUCTION_ID + " ", " " + DEDUCTION_ID, DEDUCTION_ID + "0", DEDUCTION_ID.substring(1), "urn:uuid:" + DEDUCTION_ID,
                "1-2-3-4-5", "123e4567-e89b-12d3-a456-42661417400g", "123e4567-e89b-12d3-a456-4266141740000",
                "deduction_8f2c", "ddct_01HZX3", "../../etc/passwd", "'; DROP TABLE ledger_entries; --", "ユーザー🙂",
                "tab\\there", "line\\nbreak", "nul\\u0000byte", "\\u001b[31m", "x".repeat(255), "y".repeat(10_000));
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("unknownDeductionIds")
    void refundOfADeductionIdThatIsNotOneOfOursIsNotFoundAndAsksNoUseCase(String deductionId) {
        ClientResponseTyped<String> response = post(client, REFUNDS, ADMIN_TOKEN, KEY,
                "{\"deduction_id\":\"" + deductionId + "\",\"reason\":\"r\"}");

        JsonNode problem = assertProblem(response, 404, "NOT_FOUND");
        assertThat(problem.path("detail").asText(), is("No deduction has this deduction_id"));
        assertThat(problem.has("errors"), is(false));
        assertNoUseCaseRan();
    }

    @Test
    void unknownIdOfAnyShapeGetsTheSameAnswerAsAnUnknownUuid() {
        when(USE_CASES.refundDeduction().refund(any())).thenReturn(new MoveOutcome.DeductionNotFound());
        String unknownUuid = post(client, REFUNDS, ADMIN_TOKEN, KEY, "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"reason\":\"r\"}").entity();
        String notAUuid = post(client, REFUNDS, ADMIN_TOKEN, KEY, "{\"deduction_id\":\"not-a-uuid\",\"reason\":\"r\"}").entity();

        assertThat(withoutRequestId(notAUuid), is(withoutRequestId(unknownUuid)));
    }

    private static String withoutRequestId(String problem) {
        return problem.replaceAll("\"request_id\":\"[^\"]*\"", "");
    }

    // ---- 415 ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "application/xml", "application/jsonx", "application/json-patch+json",
            "application/problem+json", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1",
            "application/json; charset=utf-16", "application/json; garbage", "json"})
    void bodyThatIsNotJsonIsAnUnsupportedMediaTypeOnEveryPost(String contentType) {
        for (String path : List.of(GRANT, DEDUCTIONS, REFUNDS)) {
            ClientResponseTyped<String> response = post(client, path, tokenFor(path), KEY, contentType,
                    VALID_GRANT.getBytes(StandardCharsets.UTF_8));
            assertProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
        }
        assertNoUseCaseRan();
    }

    @Test
    void bodyWithoutAContentTypeIsAnUnsupportedMediaType() {
        assertProblem(post(client, GRANT, ADMIN_TOKEN, KEY, null, VALID_GRANT.getBytes(StandardCharsets.UTF_8)), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertNoUseCaseRan();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
            "Application/JSON", "application/json; charset=\"utf-8\"", "application/json; version=1"})
    void jsonWithOrWithoutAUtf8CharsetIsAccepted(String contentType) {
        ClientResponseTyped<String> response = post(client, GRANT, ADMIN_TOKEN, KEY, contentType, VALID_GRANT.getBytes(StandardCharsets.UTF_8));

        assertThat(response.entity(), response.status().code(), is(201));
    }

    // ---- 413 ---------------------------------------------------------------------------------------

    @Test
    void bodyOver64KibIsTooLargeOnEveryPost() {
        byte[] body = padded(VALID_GRANT, 65 * 1024);
        for (String path : List.of(GRANT, DEDUCTIONS, REFUNDS)) {
            assertProblem(post(client, path, tokenFor(path), KEY, JSON, body), 413, "PAYLOAD_TOO_LARGE");
        }
        assertNoUseCaseRan();
    }

    @Test
    void bodyOneByteOverTheLimitIsTooLarge() {
        assertProblem(post(client, GRANT, ADMIN_TOKEN, KEY, JSON, padded(VALID_GRANT, 64 * 1024 + 1)), 413, "PAYLOAD_TOO_LARGE");
        assertNoUseCaseRan();
    }

    @Test
    void bodyOfExactly64KibIsRead() {
        ClientResponseTyped<String> response = post(client, GRANT, ADMIN_TOKEN, KEY, JSON, padded(VALID_GRANT, 64 * 1024));

        assertThat(response.entity(), response.status().code(), is(201));
    }

    // ---- Idempotency-Key ---------------------------------------------------------------------------

    @Test
    void postWithoutAnIdempotencyKeyIsRefusedOnEveryPost() {
        for (String path : List.of(GRANT, DEDUCTIONS, REFUNDS)) {
            assertProblem(post(client, path, tokenFor(path), null, VALID_GRANT), 400, "IDEMPOTENCY_KEY_REQUIRED");
        }
        assertNoUseCaseRan();
    }

    @Test
    void emptyIdempotencyKeyCountsAsMissing() {
        assertProblem(post(client, GRANT, ADMIN_TOKEN, "", VALID_GRANT), 400, "IDEMPOTENCY_KEY_REQUIRED");
        assertNoUseCaseRan();
    }

    @Test
    void idempotencyKeyOver255CharactersIsAValidationErrorNamingTheHeader() {
        assertRefusedNaming(post(client, GRANT, ADMIN_TOKEN, "k".repeat(256), VALID_GRANT), "Idempotency-Key");
    }

    @Test
    void idempotencyKeyWithASpaceIsAValidationErrorNamingTheHeader() {
        // Non-ASCII and control characters are sent over a real socket (OverRealSocketTest): this client rewrites them.
        assertRefusedNaming(post(client, DEDUCTIONS, METER_TOKEN, "a b", VALID_GRANT), "Idempotency-Key");
    }

    @Test
    void idempotencyKeyOf255PrintableCharactersIsAccepted() {
        String key = "k".repeat(250) + "!~:/=";

        assertThat(post(client, GRANT, ADMIN_TOKEN, key, VALID_GRANT).status().code(), is(201));
    }

    // ---- query parameters ----------------------------------------------------------------------------

    @Test
    void anyQueryParameterOnAPostIsAValidationErrorNamingIt() {
        ClientResponseTyped<String> response = client.post(GRANT).queryParam("dry_run", "true")
                .header(HeaderNames.AUTHORIZATION, ADMIN_TOKEN)
                .header(Requests.IDEMPOTENCY_KEY, KEY)
                .header(HeaderNames.CONTENT_TYPE, JSON)
                .submit(VALID_GRANT, String.class);

        assertRefusedNaming(response, "dry_run");
    }

    // ---- the order of checks -------------------------------------------------------------------------

    @Test
    void checksRunInTheContractsOrderAuthScopeMediaTypeSizeKeyBody() {
        byte[] huge = padded("{", 65 * 1024);
        byte[] bad = "{".getBytes(StandardCharsets.UTF_8);

        assertProblem(post(client, GRANT, null, null, "text/plain", huge), 401, "UNAUTHORIZED");
        assertProblem(post(client, GRANT, METER_TOKEN, null, "text/plain", huge), 403, "FORBIDDEN");
        assertProblem(post(client, GRANT, ADMIN_TOKEN, null, "text/plain", huge), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(post(client, GRANT, ADMIN_TOKEN, null, JSON, huge), 413, "PAYLOAD_TOO_LARGE");
        assertProblem(post(client, GRANT, ADMIN_TOKEN, null, JSON, bad), 400, "IDEMPOTENCY_KEY_REQUIRED");
        assertProblem(post(client, GRANT, ADMIN_TOKEN, KEY, JSON, bad), 400, "VALIDATION_ERROR");
        assertNoUseCaseRan();
    }

    private static byte[] padded(String json, int size) {
        byte[] body = new byte[size];
        byte[] start = json.getBytes(StandardCharsets.UTF_8);
        Arrays.fill(body, (byte) ' ');
        System.arraycopy(start, 0, body, 0, start.length);
        return body;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}

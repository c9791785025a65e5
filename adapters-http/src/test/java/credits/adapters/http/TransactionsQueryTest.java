package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.application.port.in.ListTransactions;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.LedgerEntry;
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
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TRANSACTIONS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.get;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** {@code ?limit=&cursor=} of the history: what reaches the use case, and everything else refused as a 400 before it. */
@RoutingTest
class TransactionsQueryTest {

    private static final UseCases USE_CASES = ApiFixture.mockedUseCases();
    private static final String USER = bearer("user_1");
    private static final LedgerEntry ENTRY = ApiFixture.grantEntry(3, "user_1", "5");

    private final DirectClient client;

    TransactionsQueryTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ApiFixture.route(routing, USE_CASES, AuthSettings.hmac(SECRET));
    }

    @BeforeEach
    void freshMocks() {
        reset(USE_CASES.listTransactions());
        when(USE_CASES.listTransactions().list(any())).thenReturn(new HistoryPage(List.of(ENTRY), Optional.of(new HistoryCursor(3))));
    }

    private static final HistoryCursors CURSORS = new HistoryCursors(ApiFixture.CURSOR_KEY);

    private static String cursor(String userId, long position) {
        return CURSORS.encode(UserId.of(userId), new HistoryCursor(position));
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<String> fields(JsonNode problem) {
        List<String> names = new ArrayList<>();
        problem.path("errors").forEach(error -> names.add(error.path("field").asText()));
        return names;
    }

    private void assertRefusedNaming(ClientResponseTyped<String> response, String... expectedFields) {
        JsonNode problem = assertProblem(response, 400, "VALIDATION_ERROR");
        assertThat(fields(problem), containsInAnyOrder((Object[]) expectedFields));
        verifyNoInteractions(USE_CASES.listTransactions());
    }

    @Test
    void withoutParametersTheFirstPageOfFiftyIsAskedForTheCaller() {
        ClientResponseTyped<String> response = get(client, TRANSACTIONS, USER);

        assertThat(response.status().code(), is(200));
        verify(USE_CASES.listTransactions()).list(new ListTransactions.Query(UserId.of("user_1"), Optional.empty(), 50));
    }

    @Test
    void pageIsDataAndTheOpaqueNextCursor() {
        JsonNode body = json(get(client, TRANSACTIONS, USER).entity());

        assertThat(body.path("data").size(), is(1));
        assertThat(body.path("data").get(0).path("id").asText(), is("00000000-0000-0000-0000-000000000003"));
        assertThat(CURSORS.decode(UserId.of("user_1"), body.path("next_cursor").asText()), is(new HistoryCursor(3)));
    }

    @Test
    void lastPageHasANullNextCursor() {
        when(USE_CASES.listTransactions().list(any())).thenReturn(new HistoryPage(List.of(), Optional.empty()));

        ClientResponseTyped<String> response = get(client, TRANSACTIONS, USER);

        assertThat(response.entity(), is("{\"data\":[],\"next_cursor\":null}"));
    }

    @Test
    void limitAndCursorAreHandedOverDecoded() {
        get(client, TRANSACTIONS, USER, "limit", "200", "cursor", cursor("user_1", 41));

        verify(USE_CASES.listTransactions()).list(new ListTransactions.Query(UserId.of("user_1"), Optional.of(new HistoryCursor(41)), 200));
    }

    @ParameterizedTest(name = "limit={0}")
    @ValueSource(strings = {"0", "201", "-1", "1000", "abc", "", "1.5", "+5", "05", " 5", "5 ", "1e2", "0x10", "99999999999999999999", "٥"})
    void limitThatIsNotAWholeNumberFrom1To200IsRefusedNamingIt(String limit) {
        assertRefusedNaming(get(client, TRANSACTIONS, USER, "limit", limit), "limit");
    }

    @ParameterizedTest(name = "cursor={0}")
    @ValueSource(strings = {"", "null", "garbage", "%%%", "djE6MTIz=", "not base64 at all!", "eyJhbGciOiJub25lIn0",
            "dj", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void cursorThatThisServiceDidNotIssueIsRefusedNamingIt(String cursor) {
        assertRefusedNaming(get(client, TRANSACTIONS, USER, "cursor", cursor), "cursor");
    }

    @Test
    void oldReadableCursorsAndTheirLookalikesAreRefusedNamingIt() {
        for (String decoded : List.of("v1:3", "v1:41", "v1:0", "v1:-1", "v1:-9223372036854775808", "v1:9223372036854775808",
                "v1:" + "9".repeat(19), "v1:" + "1".repeat(25), "v1:abc", "v2:1", "v1:", "\u0000\u0001\u0002", "{\"position\":1}")) {
            assertRefusedNaming(get(client, TRANSACTIONS, USER, "cursor", b64(decoded)), "cursor");
        }
    }

    @Test
    void cursorOfAnotherUsersHistoryIsRefusedNamingIt() {
        assertRefusedNaming(get(client, TRANSACTIONS, USER, "cursor", cursor("user_2", 41)), "cursor");
    }

    @Test
    void cursorSealedWithAnotherKeyIsRefusedNamingIt() {
        String foreign = new HistoryCursors(HistoryCursorKey.random()).encode(UserId.of("user_1"), new HistoryCursor(41));

        assertRefusedNaming(get(client, TRANSACTIONS, USER, "cursor", foreign), "cursor");
    }

    @Test
    void randomCursorsAreClientErrorsNeverServerErrors() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[1 + random.nextInt(48)];
            random.nextBytes(bytes);
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertRefusedNaming(get(client, TRANSACTIONS, USER, "cursor", cursor), "cursor");
        }
    }

    @Test
    void badLimitAndBadCursorAreBothNamed() {
        assertRefusedNaming(get(client, TRANSACTIONS, USER, "limit", "0", "cursor", "nope"), "limit", "cursor");
    }

    @Test
    void parameterGivenTwiceIsRefusedNamingIt() {
        ClientResponseTyped<String> response = client.get(TRANSACTIONS).queryParam("limit", "5", "6")
                .header(HeaderNames.AUTHORIZATION, USER)
                .request(String.class);

        assertRefusedNaming(response, "limit");
    }

    @Test
    void unknownParameterIsRefusedNamingIt() {
        assertRefusedNaming(get(client, TRANSACTIONS, USER, "page", "2", "offset", "10"), "page", "offset");
    }

    @Test
    void historyRequiresAuthentication() {
        assertProblem(get(client, TRANSACTIONS, null), 401, "UNAUTHORIZED");
        verifyNoInteractions(USE_CASES.listTransactions());
    }
}

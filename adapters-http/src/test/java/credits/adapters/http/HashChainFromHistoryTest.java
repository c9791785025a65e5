package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.DEPOSIT;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.HOLDS;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.REFUNDS;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TOPUPS;
import static credits.adapters.http.support.ApiFixture.TRANSACTIONS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

/**
 * The hash chain checked as a client would: a user's whole history read through the API, every entry's
 * {@code hash} recomputed from its JSON alone by the contract's rule (api.md, "Tamper evidence") with a plain
 * SHA-256, without the service's own {@code LedgerHash}. So the API shows exactly what is hashed.
 */
class HashChainFromHistoryTest {

    private static final String USER = "user_1";
    private static final String USER_TOKEN = bearer(USER);
    private static final String GENESIS = "0".repeat(64);
    /** The contract's parts after {@code prev_hash}, in order; {@code drawn_from} comes last. */
    private static final List<String> PARTS = List.of("id", "type", "user_id", "amount_usdc", "balance_after_usdc", "created_at",
            "reference", "reason", "deduction_id", "hold_id", "grant_id");

    private final DirectClient client = ApiFixture.client(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));

    /** Every entry type the API writes, with nulls, several lots drawn from, and text beyond ASCII. */
    @BeforeEach
    void aHistoryOfEveryKindOfEntry() {
        String admin = bearer("admin_1", ADMIN);
        String meter = bearer("gateway", METER);
        created(post(client, GRANT, admin, "g-1", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"1.50\","
                + "\"reason\":\"crédit de bienvenue ✓\",\"expires_at\":\"2025-01-01T00:00:00Z\"}"));
        created(post(client, TOPUPS, bearer("payments", DEPOSIT), "t-1", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"20\","
                + "\"payment_reference\":\"0xabc\",\"memo\":\"USDC on Base\"}"));
        // Drawn from both lots: the expiring grant first, then the top-up.
        String deduction = created(post(client, DEDUCTIONS, meter, "d-1", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"2.0000001\","
                + "\"reference\":\"api_weather/forecast\"}")).path("id").asText();
        created(post(client, REFUNDS, admin, "r-1", "{\"deduction_id\":\"" + deduction + "\",\"amount_usdc\":\"0.10\","
                + "\"reason\":\"upstream outage\"}"));
        String captured = created(post(client, HOLDS, meter, "h-1", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"2\","
                + "\"reference\":\"api_llm/chat\"}")).path("id").asText();
        String released = created(post(client, HOLDS, meter, "h-2", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"1\"}"))
                .path("id").asText();
        created(post(client, HOLDS + "/" + captured + "/capture", meter, "c-1", "{\"amount_usdc\":\"0.75\"}"));
        status(post(client, HOLDS + "/" + released + "/release", meter, "rel-1", "{}"), 200);
    }

    @Test
    void theWholeHistoryReadPageByPageVerifiesFromItsJsonAlone() {
        List<JsonNode> history = wholeHistory();

        assertThat(history.stream().map(entry -> entry.path("type").asText()).distinct().toList(),
                containsInAnyOrder("grant", "topup", "deduction", "refund", "hold", "hold_release"));
        assertThat(firstBrokenLink(history), is(Optional.empty()));
    }

    @Test
    void aChangedAmountInACopyOfTheHistoryBreaksTheChainAtThatEntry() {
        List<JsonNode> history = wholeHistory();
        List<JsonNode> tampered = history.stream().<JsonNode>map(JsonNode::deepCopy).toList();
        int deduction = indexOfType(tampered, "deduction");
        ((ObjectNode) tampered.get(deduction)).put("amount_usdc", "0.0000001");

        assertThat(firstBrokenLink(history), is(Optional.empty()));
        assertThat(firstBrokenLink(tampered), is(Optional.of(deduction)));
    }

    /** Every page of the user's own history, newest first as the API lists it, reversed to oldest first. */
    private List<JsonNode> wholeHistory() {
        List<JsonNode> newestFirst = new ArrayList<>();
        String cursor = null;
        do {
            ClientResponseTyped<String> response = cursor == null
                    ? get(client, TRANSACTIONS, USER_TOKEN, "limit", "3")
                    : get(client, TRANSACTIONS, USER_TOKEN, "limit", "3", "cursor", cursor);
            JsonNode page = status(response, 200);
            page.path("data").forEach(newestFirst::add);
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null);
        assertThat("more than one page was read", newestFirst.size() > 3, is(true));
        return newestFirst.reversed();
    }

    /** The index (oldest first) of the first entry whose {@code hash} is not the contract's over its JSON, if any. */
    private static Optional<Integer> firstBrokenLink(List<JsonNode> oldestFirst) {
        String previous = GENESIS;
        for (int i = 0; i < oldestFirst.size(); i++) {
            JsonNode entry = oldestFirst.get(i);
            if (!sha256Hex(hashedText(previous, entry)).equals(entry.path("hash").asText())) {
                return Optional.of(i);
            }
            previous = entry.path("hash").asText();
        }
        return Optional.empty();
    }

    /** {@code prev_hash|id|…|grant_id|drawn_from}: each part as the JSON shows it, {@code null} empty. */
    private static String hashedText(String previous, JsonNode entry) {
        StringJoiner text = new StringJoiner("|");
        text.add(previous);
        for (String part : PARTS) {
            JsonNode value = entry.path(part);
            assertThat(part + " is in every entry", value.isMissingNode(), is(false));
            text.add(value.isNull() ? "" : value.asText());
        }
        StringJoiner drawn = new StringJoiner(",");
        entry.path("drawn_from").forEach(item -> drawn.add(item.path("grant_id").asText() + ":" + item.path("amount_usdc").asText()));
        return text.add(drawn.toString()).toString();
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static int indexOfType(List<JsonNode> entries, String type) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).path("type").asText().equals(type)) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " entry");
    }

    private static JsonNode created(ClientResponseTyped<String> response) {
        return status(response, 201);
    }

    private static JsonNode status(ClientResponseTyped<String> response, int status) {
        assertThat(response.entity(), response.status().code(), is(status));
        return json(response.entity());
    }
}

package credits.adapters.http.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credits.domain.CreditEvent;
import credits.domain.CreditEventType;
import credits.domain.EntryId;
import credits.domain.EventId;
import credits.domain.Usdc;
import credits.domain.UserId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** The body of a delivery, member by member, as api.md writes it. */
class WebhookBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventId EVENT = new EventId(UUID.fromString("6f1c2b7e-4a1d-4f3e-9c2a-1b2c3d4e5f60"));
    private static final EntryId ENTRY = new EntryId(UUID.fromString("0b8e4a52-3c1d-4e5f-8a9b-0c1d2e3f4a5b"));
    private static final EntryId HOLD = new EntryId(UUID.fromString("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"));

    @Test
    void aBalanceLowCarriesTheBalancesTheThresholdAndTheEntryInTheApisFormats() throws Exception {
        CreditEvent event = new CreditEvent(EVENT, CreditEventType.BALANCE_LOW, UserId.of("dev_42"), Usdc.parse("4.5"),
                Usdc.parse("3.25"), Optional.of(Usdc.parse("5")), Optional.of(ENTRY), Optional.of(HOLD),
                Instant.parse("2024-01-15T10:30:00Z"));

        JsonNode body = JSON.readTree(WebhookBody.bytes(event));

        assertThat(fieldNames(body), contains("id", "type", "created_at", "data"));
        assertThat(body.get("id").asText(), is("evt_6f1c2b7e-4a1d-4f3e-9c2a-1b2c3d4e5f60"));
        assertThat(body.get("type").asText(), is("balance.low"));
        assertThat(body.get("created_at").asText(), is("2024-01-15T10:30:00.000Z"));
        JsonNode data = body.get("data");
        assertThat(fieldNames(data), contains("user_id", "balance_usdc", "available_usdc", "threshold_usdc", "entry_id", "hold_id"));
        assertThat(data.get("user_id").asText(), is("dev_42"));
        assertThat(data.get("balance_usdc").asText(), is("4.50"));
        assertThat(data.get("available_usdc").asText(), is("3.25"));
        assertThat(data.get("threshold_usdc").asText(), is("5.00"));
        assertThat(data.get("entry_id").asText(), is(ENTRY.toString()));
        assertThat(data.get("hold_id").asText(), is(HOLD.toString()));
    }

    @Test
    void membersThatDoNotApplyArePresentAsNull() throws Exception {
        CreditEvent event = new CreditEvent(EVENT, CreditEventType.TOPUP_CREDITED, UserId.of("dev_42"), Usdc.parse("10"),
                Usdc.parse("10"), Optional.empty(), Optional.empty(), Optional.empty(), Instant.parse("2024-01-15T10:30:00.123Z"));

        JsonNode data = JSON.readTree(WebhookBody.bytes(event)).get("data");

        assertThat(fieldNames(data), contains("user_id", "balance_usdc", "available_usdc", "threshold_usdc", "entry_id", "hold_id"));
        assertThat(data.get("threshold_usdc").isNull(), is(true));
        assertThat(data.get("entry_id").isNull(), is(true));
        assertThat(data.get("hold_id").isNull(), is(true));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

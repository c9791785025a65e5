package credits.adapters.http.webhook;

import credits.domain.WebhookSecret;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The Standard Webhooks signature: the scheme's published vector, and one worked out here from its definition. */
class WebhookSignatureTest {

    @Test
    void theStandardWebhooksReferenceVectorIsReproduced() {
        // From the Standard Webhooks specification and its reference libraries (checked with python3's hmac too).
        WebhookSecret secret = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignature.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body),
                is("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    @Test
    void theSignatureIsTheBase64HmacSha256OfIdTimestampAndBodyKeyedWithTheDecodedSecret() throws Exception {
        String secretText = "whsec_" + Base64.getEncoder().encodeToString("a key of at least sixteen bytes".getBytes(StandardCharsets.UTF_8));
        String id = "evt_6f1c2b7e-4a1d-4f3e-9c2a-1b2c3d4e5f60";
        long timestamp = 1_705_314_600L;
        String body = "{\"id\":\"" + id + "\",\"type\":\"balance.low\"}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secretText.substring("whsec_".length())), "HmacSHA256"));
        String byHand = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));

        assertThat(WebhookSignature.sign(WebhookSecret.parse(secretText), id, timestamp, body.getBytes(StandardCharsets.UTF_8)),
                is(byHand));
    }

    @Test
    void anotherTimestampGivesAnotherSignatureSoEachAttemptIsSignedAfresh() {
        WebhookSecret secret = WebhookSecret.random();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignature.sign(secret, "evt_x", 1000L, body), not(is(WebhookSignature.sign(secret, "evt_x", 1001L, body))));
    }
}

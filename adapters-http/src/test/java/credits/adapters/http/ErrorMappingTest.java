package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.auth.DevTokens;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.error.ProblemErrorHandler;
import credits.adapters.http.request.RequestId;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.application.port.in.GetOrCreateCredit;
import credits.domain.InvalidValueException;
import credits.domain.StorageUnavailableException;
import credits.domain.UserId;
import io.helidon.http.HeaderNames;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static credits.adapters.http.support.ApiFixture.CLOCK;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.Problems.X_REQUEST_ID;
import static credits.adapters.http.support.Problems.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Failures anywhere (use case, handler, filter) leave as problem+json with the request id, and 500s and 503s leak nothing. */
class ErrorMappingTest {

    private static final String SECRET_LOOKING_MESSAGE = "connection to jdbc:postgresql://db:5432 failed: password=hunter2";
    private static final String TOKEN = DevTokens.mintHs256(SECRET, "user_123", List.of(), Duration.ofHours(1), CLOCK);

    private final Logger errorLogger = Logger.getLogger(ProblemErrorHandler.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        errorLogger.addHandler(capture);
        // The failures here are deliberate: keep their stack traces out of the build output.
        errorLogger.setUseParentHandlers(false);
    }

    @AfterEach
    void releaseLogs() {
        errorLogger.removeHandler(capture);
        errorLogger.setUseParentHandlers(true);
    }

    private static ClientResponseTyped<String> getCredits(DirectClient client, String requestId) {
        return client.get(CREDITS)
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TOKEN)
                .header(X_REQUEST_ID, requestId)
                .request(String.class);
    }

    /** The real use cases, but {@code getOrCreate} replaced. */
    private static UseCases gettingOrCreatingWith(GetOrCreateCredit getOrCreate) {
        UseCases real = ApiFixture.useCases(new InMemoryCreditsAdapter());
        return new UseCases(getOrCreate, real.findCredit(), real.grantCredits(), real.topupCredits(), real.deductCredits(),
                real.refundDeduction(), real.listTransactions(), real.listLots(), real.placeHold(), real.captureHold(),
                real.releaseHold(), real.findHold(), real.listHolds(), real.getLowBalanceThreshold(), real.setLowBalanceThreshold(),
                real.createWebhookEndpoint(), real.listWebhookEndpoints(), real.deleteWebhookEndpoint(), real.listWebhookDeliveries());
    }

    private static DirectClient withExtraFilter(Filter filter) {
        HttpRouting.Builder routing = HttpRouting.builder();
        ApiFixture.route(routing, ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));
        routing.addFilter(filter);
        return new DirectClient(routing);
    }

    @Test
    void useCaseFailureIsAGeneric500ThatLeaksNothingAndIsLoggedWithTheRequestId() {
        GetOrCreateCredit failing = mock(GetOrCreateCredit.class);
        when(failing.getOrCreate(any(UserId.class))).thenThrow(new IllegalStateException(SECRET_LOOKING_MESSAGE));
        DirectClient client = ApiFixture.client(gettingOrCreatingWith(failing), AuthSettings.hmac(SECRET));

        ClientResponseTyped<String> response = getCredits(client, "trace-500");

        JsonNode body = assertProblem(response, 500, "INTERNAL_SERVER_ERROR");
        assertThat(body.path("request_id").asText(), is("trace-500"));
        assertThat(response.entity(), not(containsString("hunter2")));
        assertThat(response.entity(), not(containsString("jdbc")));
        assertThat(response.entity(), not(containsString("IllegalStateException")));
        assertThat(logged.size(), is(1));
        assertThat(logged.getFirst().getMessage(), containsString("trace-500"));
        assertThat(logged.getFirst().getThrown().getMessage(), is(SECRET_LOOKING_MESSAGE));
    }

    @Test
    void storageOutageIsA503WithRetryAfterThatLeaksNothingAndIsOneWarningLine() {
        GetOrCreateCredit unavailable = mock(GetOrCreateCredit.class);
        when(unavailable.getOrCreate(any(UserId.class))).thenThrow(
                new StorageUnavailableException(SECRET_LOOKING_MESSAGE, new SQLTransientConnectionException("pool exhausted")));
        DirectClient client = ApiFixture.client(gettingOrCreatingWith(unavailable), AuthSettings.hmac(SECRET));

        ClientResponseTyped<String> response = getCredits(client, "trace-503");

        JsonNode body = assertProblem(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(body.path("request_id").asText(), is("trace-503"));
        assertThat(response.headers().first(HeaderNames.RETRY_AFTER).orElse(""), is("1"));
        for (String leak : List.of("hunter2", "jdbc", "pool exhausted", "SQL", "Storage", "Exception")) {
            assertThat(response.entity(), not(containsString(leak)));
        }
        assertThat(logged.size(), is(1));
        assertThat(logged.getFirst().getLevel(), is(Level.WARNING));
        assertThat(logged.getFirst().getMessage(), containsString("trace-503"));
        // An outage is not a bug: no stack trace per request while the database is down.
        assertThat(logged.getFirst().getThrown(), is(nullValue()));
    }

    @Test
    void useCaseRunsWithTheRequestIdInTheLoggingContext() {
        AtomicReference<String> seen = new AtomicReference<>();
        GetOrCreateCredit spying = mock(GetOrCreateCredit.class);
        when(spying.getOrCreate(any(UserId.class))).thenAnswer(call -> {
            seen.set(HelidonMdc.get(RequestId.MDC_KEY).orElse("(none)"));
            throw new IllegalStateException("stop here");
        });

        getCredits(ApiFixture.client(gettingOrCreatingWith(spying), AuthSettings.hmac(SECRET)), "trace-mdc");

        assertThat(seen.get(), is("trace-mdc"));
    }

    @Test
    void domainValidationFailureIsAValidationError() {
        GetOrCreateCredit refusing = mock(GetOrCreateCredit.class);
        when(refusing.getOrCreate(any(UserId.class))).thenThrow(new InvalidValueException("amount must not be negative"));

        ClientResponseTyped<String> response = getCredits(ApiFixture.client(gettingOrCreatingWith(refusing), AuthSettings.hmac(SECRET)), "trace-400");

        JsonNode body = assertProblem(response, 400, "VALIDATION_ERROR");
        assertThat(body.path("detail").asText(), is("amount must not be negative"));
    }

    @Test
    void apiExceptionThrownByAFilterIsProblemJsonWithItsHeaders() {
        DirectClient client = withExtraFilter((chain, request, response) -> {
            throw new ApiException(ErrorCode.TOO_MANY_REQUESTS, "Slow down").withHeader("Retry-After", "3");
        });

        ClientResponseTyped<String> response = getCredits(client, "trace-429");

        JsonNode body = assertProblem(response, 429, "TOO_MANY_REQUESTS");
        assertThat(body.path("request_id").asText(), is("trace-429"));
        assertThat(body.path("title").asText(), is("Too Many Requests"));
        assertThat(response.headers().first(HeaderNames.RETRY_AFTER).orElse(""), is("3"));
    }

    @Test
    void unexpectedFailureInAFilterIsAGeneric500WithTheRequestId() {
        DirectClient client = withExtraFilter((chain, request, response) -> {
            throw new IllegalStateException(SECRET_LOOKING_MESSAGE);
        });

        ClientResponseTyped<String> response = getCredits(client, "trace-filter-500");

        assertProblem(response, 500, "INTERNAL_SERVER_ERROR");
        assertThat(response.headers().first(X_REQUEST_ID).orElse(""), is("trace-filter-500"));
        assertThat(response.entity(), not(containsString("hunter2")));
        assertThat(logged.getFirst().getMessage(), containsString("trace-filter-500"));
    }

    @Test
    void failureInAFilterRegisteredBeforeOursStillGetsARequestId() {
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.addFilter((chain, request, response) -> {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Down for maintenance");
        });
        ApiFixture.route(routing, ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));

        ClientResponseTyped<String> response = new DirectClient(routing).get(CREDITS).request(String.class);

        assertProblem(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(response.headers().first(X_REQUEST_ID).orElse(""), startsWith("req_"));
    }
}

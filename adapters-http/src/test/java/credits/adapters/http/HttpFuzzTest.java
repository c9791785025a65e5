package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.auth.DevTokens;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.RawHttp;
import credits.adapters.http.support.Tokens;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.domain.Balance;
import credits.domain.Capture;
import credits.domain.CreditsPort;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.Grant;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.Hold;
import credits.domain.HoldPage;
import credits.domain.HoldRequest;
import credits.domain.HoldStatus;
import credits.domain.LotPage;
import credits.domain.MoveOutcome;
import credits.domain.Refund;
import credits.domain.Release;
import credits.domain.Topup;
import credits.domain.UserId;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.CLOCK;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.REFUNDS;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TRANSACTIONS;
import static credits.adapters.http.support.Problems.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * Seeded HTTP fuzzing over a real socket: thousands of malformed requests, each invalid by construction
 * (it carries at least one flaw that every route it can reach refuses), sent as raw bytes to the real
 * application services over the in-memory adapter. Every response must be a non-5xx problem+json with a
 * {@code code} and a {@code request_id} (no body for HEAD), and afterwards the ledger must be exactly as
 * the valid control requests left it. Seed: {@code -Dcredits.fuzz.seed=…}; count: {@code -Dcredits.fuzz.count=…}.
 */
@ServerTest
class HttpFuzzTest {

    private static final long DEFAULT_SEED = 0x5EED_C4ED175L;
    private static final int DEFAULT_COUNT = 3_000;

    private static final String USER = "fuzz_user";
    private static final String USER_TOKEN = token(USER);
    private static final String METER_TOKEN = token("fuzz_meter", METER);
    private static final String ADMIN_TOKEN = token("fuzz_admin", ADMIN);

    private static final RecordingPort PORT = new RecordingPort();

    private final int port;

    HttpFuzzTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        server.directHandlers(CreditsApi.directHandlers());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ApiFixture.route(routing, ApiFixture.useCases(PORT), AuthSettings.hmac(SECRET));
    }

    private static String token(String user, String... scopes) {
        return DevTokens.mintHs256(SECRET, user, List.of(scopes), Duration.ofHours(1), CLOCK);
    }

    // ---- the test ----------------------------------------------------------------------------------

    @Test
    void malformedRequestsNeverFailTheServerAlwaysAnswerProblemJsonAndMoveNoMoney() throws IOException {
        long seed = Long.getLong("credits.fuzz.seed", DEFAULT_SEED);
        int count = Integer.getInteger("credits.fuzz.count", DEFAULT_COUNT);
        System.out.printf("HttpFuzzTest seed=%d (0x%x) count=%d  (rerun: -Dcredits.fuzz.seed=%d)%n", seed, seed, count, seed);

        // Controls: the harness can succeed, and the ledger has something to protect.
        String deductionId = seedLedger();
        Snapshot before = snapshot();
        int appliedBefore = PORT.applied.get();
        Set<UserId> accountsBefore = Set.copyOf(PORT.accounts());

        Logger access = Logger.getLogger("credits.access");
        Level accessLevel = access.getLevel();
        access.setLevel(Level.WARNING);
        Generator generator = new Generator(new Random(seed), deductionId);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> flaws = new TreeMap<>();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                Fuzzed request = generator.next();
                for (String note : request.description().substring(1, request.description().indexOf(']')).split(", ")) {
                    flaws.merge(note, 1, Integer::sum);
                }
                Response response;
                try {
                    response = exchange(request.bytes(), request.head());
                } catch (IOException e) {
                    failures.add("#" + i + " no response (" + e.getMessage() + "): " + request);
                    continue;
                }
                statuses.merge(response.status() + " " + response.code(), 1, Integer::sum);
                String problem = check(request, response);
                if (problem != null) {
                    failures.add("#" + i + " " + problem + ": " + request + "\n    → " + response);
                }
            }
        } finally {
            access.setLevel(accessLevel);
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.printf("HttpFuzzTest sent %d requests in %d ms; by status and code: %s%n", count, millis, statuses);
        System.out.printf("HttpFuzzTest by flaw and noise: %s%n", flaws);
        failures.stream().limit(40).forEach(failure -> System.out.println("FUZZ FAILURE " + failure));

        assertThat("failures (seed " + seed + "), first: " + failures.stream().limit(5).toList(), failures, is(empty()));
        assertThat("money moved by a malformed request (seed " + seed + ")", PORT.applied.get(), is(appliedBefore));
        assertThat("accounts opened by a malformed request (seed " + seed + ")", Set.copyOf(PORT.accounts()), is(accountsBefore));
        assertThat("the ledger changed (seed " + seed + ")", snapshot(), is(before));

        // And the server still serves valid requests.
        assertThat(exchange(plain("GET", CREDITS, USER_TOKEN), false).status(), is(200));
    }

    /** A grant and a deduction for {@link #USER}, and every token's own account opened; returns the deduction id. */
    private String seedLedger() throws IOException {
        Response grant = exchange(post(GRANT, ADMIN_TOKEN, "seed-grant", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"100.5\"}"), false);
        assertThat(grant.toString(), grant.status(), is(201));
        Response deduction = exchange(post(DEDUCTIONS, METER_TOKEN, "seed-deduction",
                "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"1.25\",\"reference\":\"api/seed\"}"), false);
        assertThat(deduction.toString(), deduction.status(), is(201));
        Response replay = exchange(post(DEDUCTIONS, METER_TOKEN, "seed-deduction",
                "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"1.25\",\"reference\":\"api/seed\"}"), false);
        assertThat(replay.toString(), replay.status(), is(201));
        assertThat(replay.headers().get("idempotent-replayed"), is("true"));
        for (String token : List.of(USER_TOKEN, METER_TOKEN, ADMIN_TOKEN)) {
            Response own = exchange(plain("GET", CREDITS, token), false);
            assertThat(own.toString(), own.status(), is(200));
            Response history = exchange(plain("GET", TRANSACTIONS + "?limit=5", token), false);
            assertThat(history.toString(), history.status(), is(200));
        }
        Response head = exchange(plain("HEAD", ADMIN_CREDITS + USER, ADMIN_TOKEN), true);
        assertThat(head.toString(), head.status(), is(200));
        JsonNode balance = json(exchange(plain("GET", ADMIN_CREDITS + USER, ADMIN_TOKEN), false).body());
        assertThat(balance.path("balance_usdc").asText(), is("99.25"));
        return json(deduction.body()).path("id").asText();
    }

    private record Snapshot(String balance, String history, String admin, String meter) {
    }

    private Snapshot snapshot() throws IOException {
        return new Snapshot(exchange(plain("GET", ADMIN_CREDITS + USER, ADMIN_TOKEN), false).body(),
                exchange(plain("GET", ADMIN_CREDITS + USER + "/transactions?limit=200", ADMIN_TOKEN), false).body(),
                exchange(plain("GET", ADMIN_CREDITS + "fuzz_admin/transactions", ADMIN_TOKEN), false).body(),
                exchange(plain("GET", ADMIN_CREDITS + "fuzz_meter/transactions", ADMIN_TOKEN), false).body());
    }

    /** Why the response breaks the contract, or null. */
    private static String check(Fuzzed request, Response response) {
        if (response.status() >= 500) {
            return "5xx";
        }
        if (response.status() < 400) {
            return "a malformed request was not refused";
        }
        if (!"application/problem+json".equals(response.headers().get("content-type"))) {
            return "not problem+json";
        }
        if (response.headers().getOrDefault("x-request-id", "").isEmpty()) {
            return "no X-Request-Id";
        }
        if (request.head()) {
            return response.body().isEmpty() ? null : "HEAD response with a body";
        }
        JsonNode problem;
        try {
            problem = json(response.body());
        } catch (RuntimeException e) {
            return "body is not JSON";
        }
        if (problem.path("code").asText().isEmpty() || problem.path("request_id").asText().isEmpty()) {
            return "problem without code or request_id";
        }
        if (problem.path("status").asInt() != response.status()) {
            return "problem status differs from the HTTP status";
        }
        if (!problem.path("request_id").asText().equals(response.headers().get("x-request-id"))) {
            return "request_id differs from X-Request-Id";
        }
        return null;
    }

    // ---- raw HTTP ----------------------------------------------------------------------------------

    private static byte[] plain(String method, String target, String token) {
        return (method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] post(String path, String token, String key, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        return concat(head.getBytes(StandardCharsets.ISO_8859_1), bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    record Response(int status, Map<String, String> headers, String body) {
        String code() {
            try {
                return json(body).path("code").asText();
            } catch (RuntimeException e) {
                return "-";
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    /** One request on its own connection; the response is read by its framing (length, chunks or close). */
    private Response exchange(byte[] request, boolean head) throws IOException {
        try (RawHttp connection = new RawHttp(port, Duration.ofSeconds(5))) {
            try {
                connection.send(request);
            } catch (IOException e) {
                // The server may answer and close before reading a large body: read what it said.
            }
            RawHttp.Response response = connection.read(!head);
            return new Response(response.status(), response.headers(), response.body());
        }
    }

    // ---- the generator -----------------------------------------------------------------------------

    /** A generated request: its bytes, whether it is a HEAD, and what was done to it (for the report). */
    record Fuzzed(byte[] bytes, boolean head, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** The routes and who may use them. */
    private enum Route {
        CREDITS_GET(ApiFixture.CREDITS, false), TRANSACTIONS_GET(ApiFixture.TRANSACTIONS, false),
        ADMIN_GET(ADMIN_CREDITS + USER, false), ADMIN_HISTORY_GET(ADMIN_CREDITS + USER + "/transactions", false),
        GRANT_POST(GRANT, true), DEDUCTIONS_POST(DEDUCTIONS, true), REFUNDS_POST(REFUNDS, true);

        final String path;
        final boolean post;

        Route(String path, boolean post) {
            this.path = path;
            this.post = post;
        }
    }

    /** What makes a request invalid by construction. */
    private enum Flaw { BAD_METHOD, BAD_QUERY, BAD_AUTH, WRONG_ROLE, BAD_BODY, BAD_KEY, BAD_CONTENT_TYPE, UNKNOWN_PATH }

    static final class Generator {

        private static final List<String> ODD_METHODS = List.of("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO",
                "G_E_T", "X".repeat(300), "PROPFIND", "MKCOL", "QUERY");
        private static final List<String> BAD_AMOUNTS = List.of("25", "1e3", "-1", "0", "1.5e2", "12345678901234567890123456789",
                "1E400", "-0.0", "\"-1\"", "\"+1\"", "\"1e3\"", "\"1E-7\"", "\"0\"", "\"0.0000000\"", "\"1.12345678\"",
                "\"0.00000001\"", "\"99999999999999999999999999999999\"", "\"10000000000.0000001\"", "\"01\"", "\"1.\"",
                "\".5\"", "\" 1\"", "\"1,5\"", "\"0x10\"", "\"NaN\"", "\"Infinity\"", "\"\\u0661\"", "\"1\\u0000\"", "\"\"",
                "null", "true", "[]", "{}", "[\"1\"]", "{\"value\":\"1\"}", "\"-0.0000001\"");
        private static final List<String> BAD_USER_IDS = List.of("null", "1", "true", "[]", "{}", "\"\"",
                "\"" + "u".repeat(300) + "\"", "\"a\\u0000b\"", "\"\\ud800\"", "[\"fuzz_user\"]", "{\"id\":\"fuzz_user\"}");
        private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/json; charset=utf-16",
                "application/json; charset=latin1", "application/jsonx", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded", "", "*/*", "json", "application/problem+json; charset=\"", "application/");
        private static final List<String> BAD_KEYS = List.of("", " ", "k".repeat(256), "k".repeat(5000), "tab\tinside",
                "caf\u00e9", "\u00ff\u00fe", "a\u0001b", "line\u000bfeed");

        private final Random random;
        private final String deductionId;
        private final String otherSecretToken;
        private final String expiredToken;
        private final String noSubjectToken;

        Generator(Random random, String deductionId) {
            this.random = random;
            this.deductionId = deductionId;
            this.otherSecretToken = DevTokens.mintHs256("another-secret-that-is-also-32-bytes-long!", USER, List.of(ADMIN, METER),
                    Duration.ofHours(1), CLOCK);
            this.expiredToken = Tokens.hs256(SECRET, Tokens.validClaims(USER, NOW.minusSeconds(7200)).claim("scope", ADMIN + " " + METER).build());
            this.noSubjectToken = Tokens.hs256(SECRET, Tokens.validClaims(USER, NOW).subject(null).claim("scope", ADMIN + " " + METER).build());
        }

        private <T> T pick(List<T> options) {
            return options.get(random.nextInt(options.size()));
        }

        private boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }

        Fuzzed next() {
            Route route = pick(List.of(Route.values()));
            List<Flaw> possible = new ArrayList<>(List.of(Flaw.BAD_METHOD, Flaw.BAD_QUERY, Flaw.BAD_AUTH, Flaw.UNKNOWN_PATH));
            if (route != Route.CREDITS_GET && route != Route.TRANSACTIONS_GET) {
                possible.add(Flaw.WRONG_ROLE);
            }
            if (route.post) {
                possible.addAll(List.of(Flaw.BAD_BODY, Flaw.BAD_BODY, Flaw.BAD_BODY, Flaw.BAD_KEY, Flaw.BAD_CONTENT_TYPE));
            }
            Flaw flaw = pick(possible);
            List<String> notes = new ArrayList<>();
            notes.add(flaw.name());

            // Method.
            String method = route.post ? "POST" : (chance(15) ? "HEAD" : "GET");
            if (flaw == Flaw.BAD_METHOD) {
                method = route.post && chance(30) ? pick(List.of("GET", "HEAD")) : !route.post && chance(30) ? "POST" : pick(ODD_METHODS);
            } else if (chance(3)) {
                // Helidon takes method tokens case-insensitively ("Post" is POST, although RFC 9110 says methods are
                // case-sensitive), so a case variant is no flaw of its own: it only rides along with another one.
                method = chance(50) ? method.toLowerCase(Locale.ROOT) : method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
                notes.add("method case");
            }

            // Target.
            String path = route.path;
            String query = "";
            if (flaw == Flaw.UNKNOWN_PATH) {
                path = oddPath(route);
                query = "?fuzz=1"; // odd paths may still resolve to a route: keep a flaw every route refuses
            } else if (chance(25)) {
                path = equivalentPath(path);
            }
            if (flaw == Flaw.BAD_QUERY) {
                query = badQuery(route);
            }

            // Headers.
            List<String> headers = new ArrayList<>();
            headers.add("Host: localhost");
            String validToken = route.post ? (route == Route.DEDUCTIONS_POST ? METER_TOKEN : ADMIN_TOKEN)
                    : (route == Route.ADMIN_GET || route == Route.ADMIN_HISTORY_GET ? ADMIN_TOKEN : pick(List.of(USER_TOKEN, METER_TOKEN, ADMIN_TOKEN)));
            if (flaw == Flaw.BAD_AUTH) {
                String bad = badAuthorization();
                if (bad != null) {
                    headers.add("Authorization: " + bad);
                }
            } else if (flaw == Flaw.WRONG_ROLE) {
                headers.add("Authorization: Bearer " + (route == Route.DEDUCTIONS_POST ? pick(List.of(USER_TOKEN, ADMIN_TOKEN))
                        : pick(List.of(USER_TOKEN, METER_TOKEN))));
            } else {
                headers.add("Authorization: Bearer " + validToken);
                if (chance(5)) {
                    headers.add("Authorization: " + pick(List.of("Bearer " + validToken, "Bearer junk", "Basic Zm9vOmJhcg==")));
                    notes.add("repeated Authorization");
                }
            }
            if (route.post || chance(10)) {
                if (flaw == Flaw.BAD_KEY) {
                    String key = pick(BAD_KEYS);
                    if (!chance(20)) {
                        headers.add("Idempotency-Key: " + key);
                    }
                } else {
                    headers.add("Idempotency-Key: " + pick(List.of("fuzz-" + random.nextInt(50), "seed-grant", "seed-deduction", "k")));
                }
            }
            String contentType = "application/json";
            if (flaw == Flaw.BAD_CONTENT_TYPE) {
                contentType = pick(CONTENT_TYPES);
            } else if (chance(10)) {
                contentType = pick(List.of("APPLICATION/JSON", "application/json; charset=UTF-8", "application/json;charset=utf-8"));
            }
            if (!contentType.isEmpty() && (route.post || chance(10))) {
                headers.add("Content-Type: " + contentType);
            }
            addOddHeaders(headers, notes);

            // Body.
            byte[] body = new byte[0];
            if (route.post || chance(10)) {
                body = flaw == Flaw.BAD_BODY || !route.post ? badBody(route, notes) : plausibleBody(route);
            }
            boolean chunked = body.length > 0 && chance(10);
            if (chunked) {
                headers.add("Transfer-Encoding: chunked");
                notes.add("chunked");
            } else if (body.length > 0 || chance(20)) {
                headers.add("Content-Length: " + body.length);
            }
            headers.add("Connection: close");

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] target = (path + query).getBytes(StandardCharsets.UTF_8);
            if (chance(3)) {
                target = concat(target, new byte[] {(byte) 0xC3, (byte) 0x28});
                notes.add("bad UTF-8 in target");
            }
            bytes.writeBytes(method.getBytes(StandardCharsets.ISO_8859_1));
            bytes.write(' ');
            bytes.writeBytes(target);
            bytes.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (String header : headers) {
                bytes.writeBytes(header.getBytes(StandardCharsets.UTF_8));
                bytes.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            bytes.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (chunked) {
                int at = 0;
                while (at < body.length) {
                    int size = Math.min(body.length - at, 1 + random.nextInt(64));
                    bytes.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    bytes.write(body, at, size);
                    bytes.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    at += size;
                }
                bytes.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                bytes.writeBytes(body);
            }
            String shownTarget = new String(target, StandardCharsets.ISO_8859_1);
            String shownBody = new String(body, StandardCharsets.ISO_8859_1);
            String description = notes + " " + abbreviate(method, 20) + " " + abbreviate(shownTarget, 120) + " " + headersShown(headers)
                    + " body=" + abbreviate(shownBody, 160);
            return new Fuzzed(bytes.toByteArray(), method.equalsIgnoreCase("HEAD"), description);
        }

        private static String headersShown(List<String> headers) {
            List<String> shown = new ArrayList<>();
            for (String header : headers) {
                String h = header.replace(USER_TOKEN, "<user>").replace(METER_TOKEN, "<meter>").replace(ADMIN_TOKEN, "<admin>");
                shown.add(abbreviate(h, 80));
            }
            return shown.toString();
        }

        private static String abbreviate(String text, int max) {
            String escaped = text.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
            return escaped.length() <= max ? escaped : escaped.substring(0, max) + "…(" + escaped.length() + ")";
        }

        /** The same route spelled oddly, or no route at all. */
        private String equivalentPath(String path) {
            return switch (random.nextInt(5)) {
                case 0 -> "/" + path;
                case 1 -> path.replaceFirst("/credits", "/./credits");
                case 2 -> path + "/";
                case 3 -> path.replaceFirst("/billing", "/%62illing");
                default -> path + "/x/..";
            };
        }

        private String oddPath(Route route) {
            return switch (random.nextInt(16)) {
                case 0 -> route.path + "%00";
                case 1 -> route.path + "/%00/x";
                case 2 -> route.path.replace("/credits", "%2Fcredits");
                case 3 -> route.path + "/..";
                case 4 -> route.path + "/../../..";
                case 5 -> "/api/../../etc/passwd";
                case 6 -> "//" + route.path.substring(1).replace("/", "//");
                case 7 -> route.path + "/\u00fcnicode/\u2603";
                case 8 -> route.path + "/%E2%98%83%F0%9F%92%B8";
                case 9 -> route.path + "/" + "a".repeat(2_000 + random.nextInt(6_000));
                case 10 -> ADMIN_CREDITS + "%C3%28/transactions";
                case 11 -> ADMIN_CREDITS + "..%2F..%2Fbilling%2Fcredits";
                case 12 -> ADMIN_CREDITS + "%2e%2e/grant";
                case 13 -> "/API/BILLING/CREDITS";
                case 14 -> "*";
                default -> route.path + ";jsessionid=1";
            };
        }

        private String badQuery(Route route) {
            List<String> options = new ArrayList<>(List.of("?fuzz=1", "?%zz=1", "?a=%", "?=", "?&&&", "?x=" + "y".repeat(3000),
                    "?user_id=fuzz_user&x=1", "?%00=1", "?limit=5&limit=5&x"));
            if (route == Route.TRANSACTIONS_GET || route == Route.ADMIN_HISTORY_GET) {
                options.addAll(List.of("?limit=0", "?limit=201", "?limit=-1", "?limit=abc", "?limit=1e2", "?limit=99999999999999999999",
                        "?limit=5&limit=6", "?cursor=garbage", "?cursor=", "?cursor=%00", "?cursor=" + "A".repeat(4000),
                        "?limit=%EF%BC%95", "?limit= 5"));
            }
            return pick(options);
        }

        /** An Authorization value that authenticates no one, or null for none at all. */
        private String badAuthorization() {
            return switch (random.nextInt(11)) {
                case 0 -> null;
                case 1 -> "";
                case 2 -> "Bearer";
                case 3 -> "Bearer ";
                case 4 -> "Basic Zm9vOmJhcg==";
                case 5 -> "Bearer " + otherSecretToken;
                case 6 -> "Bearer " + expiredToken;
                case 7 -> "Bearer " + noSubjectToken;
                case 8 -> "Bearer " + "x".repeat(10_000);
                case 9 -> "bearer-" + ADMIN_TOKEN;
                default -> "Bearer " + ADMIN_TOKEN.substring(0, ADMIN_TOKEN.length() - 3) + "AAA";
            };
        }

        private void addOddHeaders(List<String> headers, List<String> notes) {
            if (chance(10)) {
                headers.add("X-Request-Id: " + pick(List.of("", "x".repeat(200), "bad id!", "ok-id-" + random.nextInt(1000), "\u00e9t\u00e9")));
            }
            if (chance(5)) {
                headers.add("X-Fuzz: " + "v".repeat(4_000 + random.nextInt(4_000)));
                notes.add("long header");
            }
            if (chance(3)) {
                headers.add("X-Fuzz: a\u0001b\u007fc");
                notes.add("control chars in header");
            }
            if (chance(3)) {
                headers.add("X-User-Id: " + USER);
            }
            if (chance(3)) {
                headers.add("X-Fuzz: \u00ff\u00fe raw");
                notes.add("non-ASCII header");
            }
            if (chance(2)) {
                headers.add(pick(List.of("Bad Header: x", ": empty-name", "NoColon", " Folded: x", "X-A:\tb")));
                notes.add("malformed header line");
            }
            if (chance(2)) {
                headers.add("Content-Encoding: " + pick(List.of("gzip", "br", "identity", "x-unknown")));
                notes.add("Content-Encoding");
            }
            if (chance(2)) {
                headers.add("Expect: " + pick(List.of("100-continue", "weird")));
                notes.add("Expect");
            }
        }

        /** A body that would be accepted on its route (used when another flaw makes the request invalid). */
        private byte[] plausibleBody(Route route) {
            String json = switch (route) {
                case DEDUCTIONS_POST -> "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"0.5\",\"reference\":\"r\"}";
                case REFUNDS_POST -> "{\"deduction_id\":\"" + deductionId + "\",\"amount_usdc\":\"0.25\",\"reason\":\"r\"}";
                default -> "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"1\"}";
            };
            return json.getBytes(StandardCharsets.UTF_8);
        }

        /** A body its route refuses. */
        private byte[] badBody(Route route, List<String> notes) {
            String valid = new String(plausibleBody(route), StandardCharsets.UTF_8);
            String amountField = "\"amount_usdc\"";
            int kind = random.nextInt(20);
            notes.add("body#" + kind);
            String json = switch (kind) {
                case 0 -> valid.substring(0, random.nextInt(valid.length()));
                case 1 -> valid.replaceFirst("\"amount_usdc\":\"[^\"]*\"", Matcher.quoteReplacement(amountField + ":" + badAmount(route)));
                case 2 -> route == Route.REFUNDS_POST
                        ? valid.replaceFirst("\"deduction_id\":\"[^\"]*\"", Matcher.quoteReplacement("\"deduction_id\":" + pick(List.of("null", "1", "\"not-a-uuid\"", "\"\"", "[]", "{}"))))
                        : valid.replaceFirst("\"user_id\":\"[^\"]*\"", Matcher.quoteReplacement("\"user_id\":" + pick(BAD_USER_IDS)));
                case 3 -> valid.replaceFirst("\\{", "{\"unknown\":" + pick(List.of("1", "null", "\"x\"", "{}", "[]")) + ",");
                case 4 -> valid.replaceFirst("\\{", "{" + amountField + ":\"1\",");
                case 5 -> valid.replaceFirst("\\{", "{\"nested\":" + "[".repeat(2_000 + random.nextInt(3_000)) + "1" + "]".repeat(100) + ",");
                case 6 -> "{\"a\":" + "{\"a\":".repeat(1_000 + random.nextInt(3_000)) + "1" + "}".repeat(50);
                case 7 -> pick(List.of("", "null", "[]", "1", "\"x\"", "true", "{}", "[" + valid + "]", valid + valid, valid + " x", "{,}", "{'a':1}"));
                case 8 -> valid.replace("}", ",\"reason\":\"" + "r".repeat(1_001 + random.nextInt(3_000)) + "\"}");
                case 9 -> valid.replace("}", ",\"reference\":\"" + "r".repeat(256 + random.nextInt(3_000)) + "\"}");
                case 10 -> route == Route.REFUNDS_POST ? valid.replace(",\"reason\":\"r\"", "") : valid.replaceFirst(",\"amount_usdc\":\"[^\"]*\"", "");
                case 11 -> valid.replaceFirst("\"amount_usdc\":\"[^\"]*\"", amountField + ":\"" + randomEightDigitAmount() + "\"");
                case 12 -> valid.replaceFirst("\"amount_usdc\":\"[^\"]*\"", amountField + ":" + (chance(50) ? "-" : "")
                        + "9".repeat(20 + random.nextInt(400)) + (chance(50) ? "e" + random.nextInt(999) : ""));
                case 13 -> valid.replaceFirst("\"amount_usdc\":\"[^\"]*\"", amountField + ":\"" + "9".repeat(30 + random.nextInt(2_000)) + "\"");
                case 14 -> valid.replace("}", ",\"x\":\"" + "\u00e9".repeat(70_000 / 2) + "\"}"); // over 64 KiB
                case 15 -> valid.replaceFirst("\"amount_usdc\":\"[^\"]*\"", amountField + ":\"1e-3\"");
                default -> null; // byte-level below
            };
            if (json != null) {
                return json.getBytes(StandardCharsets.UTF_8);
            }
            byte[] validBytes = valid.getBytes(StandardCharsets.UTF_8);
            return switch (kind) {
                case 16 -> concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, valid.getBytes(StandardCharsets.UTF_16BE));
                case 17 -> concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, valid.getBytes(StandardCharsets.UTF_16LE));
                case 18 -> {
                    // Bad UTF-8 inside the amount string: an overlong, a lone continuation, a truncated sequence or a surrogate.
                    byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}};
                    String marker = "\"amount_usdc\":\"";
                    int at = valid.indexOf(marker) + marker.length();
                    byte[] head = valid.substring(0, at).getBytes(StandardCharsets.UTF_8);
                    yield concat(concat(head, bad[random.nextInt(bad.length)]), valid.substring(at).getBytes(StandardCharsets.UTF_8));
                }
                default -> {
                    // A UTF-8 BOM before an otherwise broken body (the BOM alone may be tolerated), or NUL bytes.
                    yield chance(50) ? concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, concat(validBytes, "x".getBytes(StandardCharsets.UTF_8)))
                            : concat(validBytes, new byte[] {0, 0, 0});
                }
            };
        }

        /** A refund's amount is optional: {@code null} there means "the unrefunded rest", so it is no flaw. */
        private String badAmount(Route route) {
            String amount = pick(BAD_AMOUNTS);
            return route == Route.REFUNDS_POST && amount.equals("null") ? "\"null\"" : amount;
        }

        private String randomEightDigitAmount() {
            StringBuilder digits = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                digits.append(random.nextInt(10));
            }
            digits.setCharAt(7, (char) ('1' + random.nextInt(9)));
            return random.nextInt(100) + "." + digits;
        }
    }

    // ---- the ledger, watched -----------------------------------------------------------------------

    /** The in-memory adapter, counting money actually moved and remembering every account it holds. */
    static final class RecordingPort implements CreditsPort {

        private final InMemoryCreditsAdapter delegate = new InMemoryCreditsAdapter();
        private final Set<UserId> accounts = ConcurrentHashMap.newKeySet();
        final AtomicInteger applied = new AtomicInteger();

        Set<UserId> accounts() {
            return accounts;
        }

        private MoveOutcome counted(MoveOutcome outcome, UserId userId) {
            if (outcome instanceof MoveOutcome.Applied) {
                applied.incrementAndGet();
                if (userId != null) {
                    accounts.add(userId);
                }
            }
            return outcome;
        }

        @Override
        public Balance getOrCreate(UserId userId, Instant now) {
            Balance balance = delegate.getOrCreate(userId, now);
            accounts.add(userId);
            return balance;
        }

        @Override
        public Optional<Balance> find(UserId userId, Instant now) {
            return delegate.find(userId, now);
        }

        @Override
        public MoveOutcome grant(Grant grant) {
            return counted(delegate.grant(grant), grant.userId());
        }

        @Override
        public MoveOutcome topup(Topup topup) {
            return counted(delegate.topup(topup), topup.userId());
        }

        @Override
        public MoveOutcome deduct(Deduction deduction) {
            return counted(delegate.deduct(deduction), deduction.userId());
        }

        @Override
        public MoveOutcome refund(Refund refund) {
            return counted(delegate.refund(refund), null);
        }

        @Override
        public HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit, Instant now) {
            return delegate.history(userId, after, limit, now);
        }

        @Override
        public MoveOutcome placeHold(HoldRequest request) {
            return counted(delegate.placeHold(request), null);
        }

        @Override
        public MoveOutcome capture(Capture capture) {
            return counted(delegate.capture(capture), null);
        }

        @Override
        public MoveOutcome release(Release release) {
            return counted(delegate.release(release), null);
        }

        @Override
        public Optional<Hold> hold(EntryId holdId, Instant now) {
            return delegate.hold(holdId, now);
        }

        @Override
        public HoldPage holds(UserId userId, Optional<HoldStatus> status, Optional<HistoryCursor> after, int limit, Instant now) {
            return delegate.holds(userId, status, after, limit, now);
        }

        @Override
        public LotPage lots(UserId userId, LotPage.Query query, Instant now) {
            return delegate.lots(userId, query, now);
        }

        @Override
        public int settleExpiries(Instant now, int maxUsers) {
            return delegate.settleExpiries(now, maxUsers);
        }

        @Override
        public Optional<credits.domain.Usdc> lowBalanceThreshold(UserId userId) {
            return delegate.lowBalanceThreshold(userId);
        }

        @Override
        public Optional<credits.domain.Usdc> setLowBalanceThreshold(UserId userId, Optional<credits.domain.Usdc> own, Instant now) {
            return delegate.setLowBalanceThreshold(userId, own, now);
        }
    }
}

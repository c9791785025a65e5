package credits.adapters.http.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what a client library would hide: exact framing (a HEAD response
 * must not carry a body) and request lines no client would send (raw query strings, bad encodings).
 */
public final class RawHttp implements AutoCloseable {

    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private final Socket socket;
    private final InputStream in;

    public RawHttp(int port) throws IOException {
        this(port, Duration.ofSeconds(10));
    }

    public RawHttp(int port, Duration readTimeout) throws IOException {
        socket = new Socket("localhost", port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        in = socket.getInputStream();
    }

    public void send(String requestHead) throws IOException {
        send(requestHead.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] request) throws IOException {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
    }

    /**
     * Reads one response by its framing: interim 1xx responses are skipped; the body is read by
     * Content-Length, chunks, or up to the close. {@code expectBody=false} for HEAD, where
     * Content-Length describes a body that is not sent. Repeated headers are joined with ", ".
     */
    public Response read(boolean expectBody) throws IOException {
        int status;
        Map<String, String> headers;
        do {
            status = Integer.parseInt(line().split(" ")[1]);
            headers = new LinkedHashMap<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        } while (status >= 100 && status < 200);
        byte[] body;
        if (!expectBody || status == 204 || status == 304) {
            body = new byte[0];
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = chunkSize(); size > 0; size = chunkSize()) {
                chunks.write(in.readNBytes(size));
                line();
            }
            body = chunks.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private int chunkSize() throws IOException {
        return Integer.parseInt(line().split(";")[0].trim(), 16);
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b != -1; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] all = bytes.toByteArray();
                return new String(all, 0, all.length - 1, StandardCharsets.ISO_8859_1);
            }
            bytes.write(b);
            previous = b;
        }
        throw new IOException("connection closed mid-response");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

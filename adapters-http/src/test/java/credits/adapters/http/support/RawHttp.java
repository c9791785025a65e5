package credits.adapters.http.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
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
        socket = new Socket("localhost", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    public void send(String requestHead) throws IOException {
        socket.getOutputStream().write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads one response; {@code expectBody=false} for HEAD, where Content-Length describes a body that is not sent. */
    public Response read(boolean expectBody) throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String body = "";
        if (expectBody) {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
        return new Response(status, headers, body);
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

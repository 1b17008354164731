package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * Request body limits against the real servlet container on loopback (raw HTTP/1.1, so that the body can be
 * declared huge, or streamed chunked without a length): 413 as a problem naming the limit, before the server
 * reads (declared length) or as soon as it has read past the limit (chunked), so that the heap stays bounded
 * whatever is sent. The default limit is 8 MB; the draft streamed here is 64 MB of tiny masks (the shape of
 * the 200 MB, 5.5M-mask draft that ran a server out of memory).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestBodyLimitHttpTest {

    private static final long LIMIT = 8L * 1024 * 1024;
    private static final long STREAMED = 64L * 1024 * 1024;

    @LocalServerPort
    int port;
    @Autowired
    UserService users;
    @Autowired
    ApiTokenService tokens;

    String token;

    @BeforeAll
    void setUp() {
        users.create("limit-tester", null, "limits are good for servers", Set.of(Role.ANNOTATOR));
        token = tokens.issue("limit-tester", "limits").plaintext();
    }

    @Test
    void aDeclaredOversizedBodyIsRefusedBeforeAByteOfItIsRead() throws Exception {
        try (Socket socket = socket()) {
            send(socket, "PUT /api/v1/items/1/draft HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + 200L * 1024 * 1024 + "\r\n\r\n");
            Response response = read(socket);
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.headers()).containsIgnoringCase("Content-Type: application/problem+json");
            assertThat(response.body()).contains("\"status\":413").contains("limit of " + LIMIT + " bytes (8 MB")
                    .contains("studio.api.max-request-bytes");
        }
    }

    @Test
    void aStreamedOversizedDraftIsRefusedOnceItPassesTheLimit() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (Socket socket = socket()) {
            send(socket, "PUT /api/v1/items/1/draft HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            CompletableFuture<Response> response = CompletableFuture.supplyAsync(() -> {
                try {
                    return read(socket);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            OutputStream out = socket.getOutputStream();
            chunk(out, "{\"baseRevisionId\":null,\"document\":{\"caption\":\"x\",\"phrases\":[],\"unlinkedMasks\":[");
            byte[] masks = "{\"size\":[1,1],\"counts\":\"1\"},".repeat(2400).getBytes(StandardCharsets.US_ASCII);
            try {
                while (sent.get() < STREAMED && !response.isDone()) {
                    chunk(out, masks);
                    sent.addAndGet(masks.length);
                }
            } catch (IOException closedByTheServer) {
                // the server stopped reading and closed the connection: expected
            }
            Response answer = response.get(60, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.body()).contains("studio.api.max-request-bytes");
        }
        assertThat(sent.get()).as("the server stopped reading long before the end of the body").isLessThan(STREAMED / 2);

        // and it is fine afterwards: a small request is answered as usual
        try (Socket socket = socket()) {
            String body = "{\"baseRevisionId\":null,\"document\":{\"caption\":\"x\",\"phrases\":[],\"unlinkedMasks\":[],"
                    + "\"accepted\":[]}}";
            send(socket, "PUT /api/v1/items/" + Long.MAX_VALUE + "/draft HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body);
            assertThat(read(socket).status()).isEqualTo(404);
        }
    }

    @Test
    void theWebUiRequestsHaveTheirOwnLimit() throws Exception {
        try (Socket socket = socket()) {
            send(socket, "POST /?v-r=uidl&v-uiId=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (LIMIT + 1) + "\r\n\r\n");
            Response response = read(socket);
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains("studio.web.max-request-bytes");
        }
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        chunk(out, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    record Response(int status, String headers, String body) {
    }

    /** The status, headers and (Content-Length or chunked) body of one HTTP/1.1 response. */
    private static Response read(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String statusLine = in.readLine();
        StringBuilder headers = new StringBuilder();
        int length = -1;
        boolean chunked = false;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            headers.append(line).append('\n');
            String lower = line.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        StringBuilder body = new StringBuilder();
        if (chunked) {
            for (int size = Integer.parseInt(in.readLine().strip(), 16); size > 0;
                 size = Integer.parseInt(in.readLine().strip(), 16)) {
                char[] data = new char[size];
                int read = 0;
                while (read < size) {
                    int n = in.read(data, read, size - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                body.append(data, 0, read);
                in.readLine();
            }
        } else if (length >= 0) {
            char[] data = new char[length];
            int read = 0;
            while (read < length) {
                int n = in.read(data, read, length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            body.append(data, 0, read);
        } else {
            // neither length nor chunks: the body ends when the server closes the connection
            char[] data = new char[8192];
            for (int n = in.read(data); n >= 0; n = in.read(data)) {
                body.append(data, 0, n);
            }
        }
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers.toString(), body.toString());
    }
}

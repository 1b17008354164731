package studio.grounding.worker.jobs;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the platform's worker API on 127.0.0.1, with the JSON shapes of the backend's
 * {@code WorkerController} ({@code PrefillApiTest} pins them): claim, lease, result, failure and
 * {@code GET /media/images/{hash}}. It records every request and can answer a chosen status per call kind.
 */
final class FakePlatform implements AutoCloseable {

    static final String TOKEN = "gs_test-worker-token";

    record Call(String method, String path, String authorization, JsonObject body) {
        String kind() {
            if (path.endsWith("/claim")) return "claim";
            if (path.endsWith("/lease")) return "lease";
            if (path.endsWith("/result")) return "result";
            if (path.endsWith("/failure")) return "failure";
            if (path.endsWith("/release")) return "release";
            if (path.startsWith("/media/images/")) return "image";
            return "other";
        }
    }

    private static final Pattern JOB = Pattern.compile("/api/v1/worker/jobs/(\\d+)/(lease|result|failure|release)");

    private final HttpServer server;
    private final Deque<JsonObject> queue = new ArrayDeque<>();
    private final Map<String, byte[]> images = new ConcurrentHashMap<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    /** status to answer per call kind (lease, result, failure, release) instead of 200 */
    final Map<String, Integer> statusFor = new ConcurrentHashMap<>();

    FakePlatform() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Queues a job for an image; returns its lease token. */
    synchronized String queue(long jobId, String hash, byte[] png, int width, int height) {
        images.put(hash, png);
        String lease = "lease-" + jobId;
        JsonObject j = JsonParser.parseString("""
                {"jobId": %d, "leaseToken": "%s", "leaseExpiresAt": "2026-11-22T04:00:00Z", "attempt": 1,
                 "itemId": %d, "image": {"contentHash": "%s", "url": "/media/images/%s", "mediaType": "image/png",
                 "byteSize": %d, "width": %d, "height": %d}, "modelVersion": {"id": 7, "name": "glamm-tiny"}}
                """.formatted(jobId, lease, 100 + jobId, hash, hash, png.length, width, height)).getAsJsonObject();
        queue.add(j);
        return lease;
    }

    List<Call> calls(String kind) {
        return calls.stream().filter(c -> c.kind().equals(kind)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            byte[] raw = ex.getRequestBody().readAllBytes();
            JsonObject body = raw.length == 0 ? null
                    : JsonParser.parseString(new String(raw, StandardCharsets.UTF_8)).getAsJsonObject();
            Call call = new Call(ex.getRequestMethod(), path, auth, body);
            calls.add(call);
            if (!("Bearer " + TOKEN).equals(auth)) {
                send(ex, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            if (call.kind().equals("image")) {
                byte[] img = images.get(path.substring("/media/images/".length()));
                if (img == null) {
                    send(ex, 404, "{}");
                } else {
                    ex.getResponseHeaders().add("Content-Type", "image/png");
                    ex.sendResponseHeaders(200, img.length);
                    ex.getResponseBody().write(img);
                }
                return;
            }
            if (call.kind().equals("claim")) {
                int max = body != null && body.has("max") ? body.get("max").getAsInt() : 1;
                JsonArray jobs = new JsonArray();
                synchronized (this) {
                    while (jobs.size() < max && !queue.isEmpty()) {
                        jobs.add(queue.poll());
                    }
                }
                JsonObject o = new JsonObject();
                o.add("jobs", jobs);
                send(ex, 200, o.toString());
                return;
            }
            Matcher m = JOB.matcher(path);
            if (!m.matches()) {
                send(ex, 404, "{}");
                return;
            }
            long id = Long.parseLong(m.group(1));
            Integer status = statusFor.get(call.kind());
            if (status != null) {
                send(ex, status, "{\"error\":\"lease lost\"}");
                return;
            }
            String answer = switch (call.kind()) {
                case "lease" -> "{\"jobId\":" + id + ",\"leaseExpiresAt\":\"2026-11-22T04:01:00Z\"}";
                case "result" -> "{\"jobId\":" + id + ",\"status\":\"SUCCEEDED\",\"revisionId\":1,\"warnings\":[],"
                        + "\"note\":null,\"replay\":false}";
                default -> "{\"jobId\":" + id + ",\"status\":\"QUEUED\"}";
            };
            send(ex, 200, answer);
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

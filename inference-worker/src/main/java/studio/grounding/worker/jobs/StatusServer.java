package studio.grounding.worker.jobs;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The worker's own small HTTP server (JDK {@link HttpServer}, no Spring): {@code GET /metrics} answers
 * {@link WorkerMetrics#scrape()} in the Prometheus text format, {@code GET /health} a JSON object with
 * {@code status} UP (200) or DOWN (503), whether the model is loaded, whether the loop is claiming, whether the
 * platform was reachable at the last claim, when a claim last succeeded, the last claim error and the jobs in
 * flight. Bound to loopback unless configured otherwise ({@code WORKER_METRICS_ADDRESS}); no authentication, so
 * only expose it on a network a scraper alone can reach. The JSON holds no token and no image data.
 */
public final class StatusServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final WorkerMetrics metrics;

    private StatusServer(HttpServer server, ExecutorService executor, WorkerMetrics metrics) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** Starts the server on {@code address:port} ({@code port} 0 picks a free one). */
    public static StatusServer start(InetAddress address, int port, WorkerMetrics metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("metrics/health server could not listen on " + address.getHostAddress()
                    + ":" + port + " (set WORKER_METRICS_PORT to a free port, or off)", e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("status-http").daemon()
                .factory());
        StatusServer s = new StatusServer(server, executor, metrics);
        server.createContext("/metrics", s::metrics);
        server.createContext("/health", s::health);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetAddress address() {
        return server.getAddress().getAddress();
    }

    private void metrics(HttpExchange ex) throws IOException {
        try (ex) {
            if (!allowed(ex, "/metrics")) {
                return;
            }
            send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        }
    }

    private void health(HttpExchange ex) throws IOException {
        try (ex) {
            if (!allowed(ex, "/health")) {
                return;
            }
            WorkerMetrics.Health h = metrics.health();
            JsonObject o = new JsonObject();
            o.addProperty("status", h.up() ? "UP" : "DOWN");
            o.addProperty("modelLoaded", h.modelLoaded());
            o.addProperty("claiming", h.claiming());
            o.addProperty("platformReachable", h.platformReachable());
            o.addProperty("lastSuccessfulClaim", h.lastSuccessfulClaim() == null ? null : h.lastSuccessfulClaim().toString());
            o.addProperty("lastClaimError", h.lastClaimError());
            o.addProperty("inFlight", h.inFlight());
            o.addProperty("slots", h.slots());
            send(ex, h.up() ? 200 : 503, "application/json", o.toString());
        }
    }

    private static boolean allowed(HttpExchange ex, String path) throws IOException {
        if (!ex.getRequestURI().getPath().equals(path)) {
            send(ex, 404, "text/plain; charset=utf-8", "not found\n");
            return false;
        }
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Allow", "GET, HEAD");
            send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n");
            return false;
        }
        return true;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

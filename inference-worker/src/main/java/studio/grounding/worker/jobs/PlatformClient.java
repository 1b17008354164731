package studio.grounding.worker.jobs;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import studio.grounding.worker.model.GlammPrediction;

/**
 * The platform's worker API ({@code /api/v1/worker/jobs/...}, see the backend's {@code WorkerController} and ADR
 * 0005) and its image endpoint ({@code /media/images/{hash}}), over the JDK HTTP client with Gson (the JSON library
 * already on the worker's classpath). Every call carries the worker token as a Bearer header; the token appears in no
 * message. Errors: {@link PlatformException.LeaseLost} for 409 on a job call, {@link PlatformException} with the
 * status otherwise (0 when the platform could not be reached).
 */
public final class PlatformClient {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;

    public PlatformClient(URI base, String token) {
        this(base, token, Duration.ofSeconds(60));
    }

    public PlatformClient(URI base, String token, Duration timeout) {
        String b = base.toString().replaceAll("/+$", "");
        this.base = URI.create(b);
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Claims up to {@code max} jobs under leases of {@code leaseSeconds}; an empty list when the queue is empty. */
    public List<WorkerJob> claim(int max, int leaseSeconds, String instance) {
        JsonObject body = new JsonObject();
        body.addProperty("max", max);
        body.addProperty("leaseSeconds", leaseSeconds);
        if (instance != null && !instance.isBlank()) {
            body.addProperty("instance", instance);
        }
        JsonObject answer = JsonParser.parseString(post("/api/v1/worker/jobs/claim", body, -1)).getAsJsonObject();
        List<WorkerJob> jobs = new ArrayList<>();
        for (JsonElement e : answer.getAsJsonArray("jobs")) {
            JsonObject j = e.getAsJsonObject();
            JsonObject img = j.getAsJsonObject("image");
            JsonObject model = j.has("modelVersion") && j.get("modelVersion").isJsonObject()
                    ? j.getAsJsonObject("modelVersion") : new JsonObject();
            jobs.add(new WorkerJob(j.get("jobId").getAsLong(), j.get("leaseToken").getAsString(),
                    str(j, "leaseExpiresAt"), j.has("attempt") ? j.get("attempt").getAsInt() : 1,
                    j.get("itemId").getAsLong(), img.get("contentHash").getAsString(), str(img, "mediaType"),
                    img.has("byteSize") ? img.get("byteSize").getAsLong() : -1,
                    img.has("width") ? img.get("width").getAsInt() : 0,
                    img.has("height") ? img.get("height").getAsInt() : 0,
                    model.has("id") ? model.get("id").getAsLong() : 0, str(model, "name")));
        }
        return jobs;
    }

    /** Renews a job's lease; the new expiry as the platform wrote it. */
    public String renew(long jobId, String leaseToken, int leaseSeconds) {
        JsonObject body = new JsonObject();
        body.addProperty("leaseToken", leaseToken);
        body.addProperty("leaseSeconds", leaseSeconds);
        JsonObject answer = JsonParser.parseString(post("/api/v1/worker/jobs/" + jobId + "/lease", body, jobId))
                .getAsJsonObject();
        return str(answer, "leaseExpiresAt");
    }

    /** Submits a prediction; the platform's answer (the job outcome) as JSON. */
    public JsonObject submitResult(long jobId, String leaseToken, GlammPrediction p, List<Double> scores) {
        return JsonParser.parseString(post("/api/v1/worker/jobs/" + jobId + "/result",
                resultBody(leaseToken, p, scores), jobId)).getAsJsonObject();
    }

    /** Reports a failure: the platform re-queues the job or, after its last attempt, marks it failed. */
    public void reportFailure(long jobId, String leaseToken, String error) {
        JsonObject body = new JsonObject();
        body.addProperty("leaseToken", leaseToken);
        body.addProperty("error", error == null ? "unknown error" : error);
        post("/api/v1/worker/jobs/" + jobId + "/failure", body, jobId);
    }

    /**
     * Hands a job back unfinished (shutdown): the platform re-queues it without counting the attempt.
     *
     * @throws PlatformException.LeaseLost when the lease is no longer ours
     */
    public void release(long jobId, String leaseToken, String reason) {
        JsonObject body = new JsonObject();
        body.addProperty("leaseToken", leaseToken);
        body.addProperty("reason", reason);
        post("/api/v1/worker/jobs/" + jobId + "/release", body, jobId);
    }

    /**
     * Long-polls for an interactive request for {@code model} (ADR 0020); empty when none came within
     * {@code waitSeconds} (the platform answers 204).
     */
    public Optional<JsonObject> claimInteractive(String model, int waitSeconds) {
        JsonObject body = new JsonObject();
        body.addProperty("model", model);
        body.addProperty("waitSeconds", waitSeconds);
        String answer = post("/api/v1/worker/interactive/claim", body, -1);
        return answer == null || answer.isBlank() ? Optional.empty()
                : Optional.of(JsonParser.parseString(answer).getAsJsonObject());
    }

    /** Answers an interactive request with masks (best first) and their scores. */
    public void answerInteractive(String requestId, List<GlammPrediction.Mask> masks, List<Double> scores) {
        JsonObject o = new JsonObject();
        o.add("masks", masksJson(masks));
        JsonArray s = new JsonArray();
        scores.forEach(s::add);
        o.add("scores", s);
        post("/api/v1/worker/interactive/" + requestId + "/answer", o, -1);
    }

    /** Reports that an interactive request cannot be answered; the editor gets the reason. */
    public void failInteractive(String requestId, String error) {
        JsonObject o = new JsonObject();
        o.addProperty("error", error == null ? "unknown error" : error);
        post("/api/v1/worker/interactive/" + requestId + "/failure", o, -1);
    }

    private static JsonArray masksJson(List<GlammPrediction.Mask> list) {
        JsonArray masks = new JsonArray();
        for (GlammPrediction.Mask m : list) {
            JsonObject r = new JsonObject();
            JsonArray size = new JsonArray();
            size.add(m.height());
            size.add(m.width());
            r.add("size", size);
            r.addProperty("counts", m.counts());
            masks.add(r);
        }
        return masks;
    }

    /** The image's bytes. */
    public byte[] fetchImage(String contentHash) {
        HttpRequest req = request("/media/images/" + contentHash).GET().build();
        HttpResponse<byte[]> res = send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (res.statusCode() != 200) {
            throw error(res.statusCode(), "GET /media/images/" + contentHash,
                    new String(res.body(), StandardCharsets.UTF_8), -1);
        }
        return res.body();
    }

    /**
     * The result JSON: caption, phrases (with their {@code [start, end)} in the caption when found, left to the
     * platform to locate otherwise), masks as {@code {size:[h,w], counts}}, scores when given, per-stage timings.
     */
    static JsonObject resultBody(String leaseToken, GlammPrediction p, List<Double> scores) {
        JsonObject o = new JsonObject();
        o.addProperty("leaseToken", leaseToken);
        o.addProperty("caption", p.caption());
        JsonArray phrases = new JsonArray();
        int from = 0;
        String caption = p.caption() == null ? "" : p.caption();
        for (String text : p.phrases()) {
            JsonObject ph = new JsonObject();
            ph.addProperty("text", text);
            int at = text == null || text.isEmpty() ? -1 : caption.indexOf(text, from);
            if (at >= 0) {
                ph.addProperty("start", at);
                ph.addProperty("end", at + text.length());
                from = at + text.length();
            }
            phrases.add(ph);
        }
        o.add("phrases", phrases);
        o.add("masks", masksJson(p.masks()));
        if (scores != null) {
            JsonArray s = new JsonArray();
            scores.forEach(s::add);
            o.add("scores", s);
        }
        JsonObject timings = new JsonObject();
        if (p.timingsMillis() != null) {
            for (Map.Entry<String, Double> t : p.timingsMillis().entrySet()) {
                timings.addProperty(t.getKey(), t.getValue());
            }
        }
        o.add("timings", timings);
        return o;
    }

    private String post(String path, JsonObject body, long jobId) {
        HttpRequest req = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(body), StandardCharsets.UTF_8)).build();
        HttpResponse<String> res = send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (res.statusCode() / 100 != 2) {
            throw error(res.statusCode(), "POST " + path, res.body(), jobId);
        }
        return res.body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json, */*");
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(req, handler);
        } catch (IOException e) {
            throw new PlatformException(req.method() + " " + req.uri().getPath() + ": platform unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(req.method() + " " + req.uri().getPath() + ": interrupted", e);
        }
    }

    private static PlatformException error(int status, String what, String body, long jobId) {
        String detail = body == null ? "" : body.length() > 500 ? body.substring(0, 500) + "..." : body;
        if (status == 409 && jobId >= 0) {
            return new PlatformException.LeaseLost(jobId, detail);
        }
        String kind = switch (status) {
            case 401 -> "unauthorized (is STUDIO_WORKER_TOKEN a valid token?)";
            case 403 -> "forbidden (does the token's account have the WORKER role?)";
            default -> status >= 500 ? "platform error" : "rejected";
        };
        return new PlatformException(status, what + ": " + status + " " + kind + ": " + detail);
    }

    private static String str(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : null;
    }
}

package studio.grounding.worker.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code glamm.json} of a model directory (written by {@code export/export_glamm.py}). {@code exportDevice} is the
 * device the parts were traced on (traced TorchScript bakes it in: {@code "cpu"} or {@code "cuda:N"});
 * {@code promptIds} are the official slow tokenizer's ids of the GCG prompt, which the worker's tokenizer must
 * reproduce.
 */
public record GlammConfig(
        String dtype,
        String exportDevice,
        long[] promptIds,
        int hiddenSize,
        int numImageTokens,
        int numLayers,
        int numHeads,
        int headDim,
        int clipSize,
        float[] clipMean,
        float[] clipStd,
        int samSize,
        float[] samMean,
        float[] samStd,
        int lowResSize,
        String bosToken,
        String eosToken,
        String segToken,
        String imagePlaceholder,
        String prompt,
        int maxNewTokens) {

    /** The glamm.json layout this worker reads (batched parts, device and prompt ids recorded). */
    public static final String FORMAT = "grounding-studio/glamm-torchscript/2";

    public static GlammConfig read(Path modelDir) throws IOException {
        Path file = modelDir.resolve("glamm.json");
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a JSON object: " + e.getMessage(), e);
        }
        String format = o.has("format") ? o.get("format").getAsString() : "(none)";
        if (!FORMAT.equals(format)) {
            throw new IOException(file + ": format " + format + ", this worker reads " + FORMAT
                    + " (batched parts with the export device and prompt ids): export the model again with "
                    + "this version's export/export_glamm.py");
        }
        for (String field : new String[] {"dtype", "device", "prompt_ids", "hidden_size", "num_layers", "num_heads",
                "head_dim", "num_image_tokens", "clip", "sam", "tokens", "prompt", "max_new_tokens"}) {
            if (!o.has(field) || o.get(field).isJsonNull()) {
                throw new IOException(file + ": field " + field + " is missing");
            }
        }
        JsonArray pid = o.getAsJsonArray("prompt_ids");
        long[] promptIds = new long[pid.size()];
        for (int i = 0; i < promptIds.length; i++) {
            promptIds[i] = pid.get(i).getAsLong();
        }
        JsonObject clip = o.getAsJsonObject("clip");
        JsonObject sam = o.getAsJsonObject("sam");
        JsonObject tok = o.getAsJsonObject("tokens");
        return new GlammConfig(
                o.get("dtype").getAsString(),
                o.get("device").getAsString(),
                promptIds,
                o.get("hidden_size").getAsInt(),
                o.get("num_image_tokens").getAsInt(),
                o.get("num_layers").getAsInt(),
                o.get("num_heads").getAsInt(),
                o.get("head_dim").getAsInt(),
                clip.get("size").getAsInt(), floats(clip.getAsJsonArray("mean")), floats(clip.getAsJsonArray("std")),
                sam.get("size").getAsInt(), floats(sam.getAsJsonArray("mean")), floats(sam.getAsJsonArray("std")),
                sam.get("low_res").getAsInt(),
                tok.get("bos").getAsString(), tok.get("eos").getAsString(), tok.get("seg").getAsString(),
                tok.get("image_placeholder").getAsString(),
                o.get("prompt").getAsString(),
                o.get("max_new_tokens").getAsInt());
    }

    private static float[] floats(JsonArray a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.get(i).getAsFloat();
        }
        return f;
    }
}

package studio.grounding.worker.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code glamm.json} of a model directory (written by {@code export/export_glamm.py}). */
public record GlammConfig(
        String dtype,
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

    public static GlammConfig read(Path modelDir) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(modelDir.resolve("glamm.json"))).getAsJsonObject();
        JsonObject clip = o.getAsJsonObject("clip");
        JsonObject sam = o.getAsJsonObject("sam");
        JsonObject tok = o.getAsJsonObject("tokens");
        return new GlammConfig(
                o.get("dtype").getAsString(),
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

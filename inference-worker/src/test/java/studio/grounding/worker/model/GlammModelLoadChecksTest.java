package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model directory that does not fit this worker is refused at load, with the directory and the reason named. */
class GlammModelLoadChecksTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void offline() {
        DjlOffline.enforce();
    }

    /** A copy of the tiny model with glamm.json edited. */
    private Path tinyWith(Consumer<JsonObject> edit) throws IOException {
        Path dir = tmp.resolve("model");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(TinyGlamm.dir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        JsonObject o = JsonParser.parseString(Files.readString(dir.resolve("glamm.json"))).getAsJsonObject();
        edit.accept(o);
        Files.writeString(dir.resolve("glamm.json"), new GsonBuilder().create().toJson(o));
        return dir;
    }

    @Test
    void theTinyModelIsTracedOnTheCpuAndSaysSo() throws Exception {
        JsonObject o = JsonParser.parseString(Files.readString(TinyGlamm.dir().resolve("glamm.json")))
                .getAsJsonObject();
        assertThat(o.get("device").getAsString()).isEqualTo("cpu");
        // traced like the real export: the language model's graph hard-codes its device
        assertThat(o.getAsJsonObject("device_constants").getAsJsonArray("language_model").toString())
                .isEqualTo("[\"cpu\"]");
        try (GlammModel m = GlammModel.load(TinyGlamm.dir(), Device.cpu())) {
            assertThat(m.config().exportDevice()).isEqualTo("cpu");
            assertThat(m.promptIds()).isEqualTo(m.config().promptIds());
        }
    }

    @Test
    void aModelTracedOnAnotherDeviceIsRefused() throws Exception {
        Path dir = tinyWith(o -> o.addProperty("device", "cuda:0"));
        assertThatThrownBy(() -> GlammModel.load(dir, Device.cpu()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("traced) on cuda:0")
                .hasMessageContaining("runs on cpu")
                .hasMessageContaining("--device cpu");
    }

    @Test
    void promptIdsTheTokenizerDoesNotReproduceAreRefused() throws Exception {
        // what DJL's newer tokenizers do to a slow-tokenizer export: an extra "▁" id inserted after <im_end>
        Path dir = tinyWith(o -> {
            JsonArray ids = o.getAsJsonArray("prompt_ids");
            JsonArray edited = new JsonArray();
            for (int i = 0; i < ids.size(); i++) {
                edited.add(ids.get(i));
                if (i == 40) {
                    edited.add(0);
                }
            }
            o.add("prompt_ids", edited);
        });
        assertThatThrownBy(() -> GlammModel.load(dir, Device.cpu()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString())
                .hasMessageContaining("first difference at position 41")
                .hasMessageContaining("official 0 <unk>");
    }

    @Test
    void anExportOfTheOldFormatIsRefused() throws Exception {
        Path dir = tinyWith(o -> o.addProperty("format", "grounding-studio/glamm-torchscript/1"));
        assertThatThrownBy(() -> GlammModel.load(dir, Device.cpu()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("glamm.json").toString())
                .hasMessageContaining("format grounding-studio/glamm-torchscript/1")
                .hasMessageContaining("export the model again");
    }

    @Test
    void aMissingFieldIsNamed() throws Exception {
        Path dir = tinyWith(o -> o.remove("prompt_ids"));
        assertThatThrownBy(() -> GlammModel.load(dir, Device.cpu()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("field prompt_ids is missing");
    }

    @Test
    void aCacheDtypeOtherThanGlammJsonsIsRefusedAtTheFirstStep() throws Exception {
        // float32 parts that claim to be bfloat16: the self-check step sees a float32 cache come back
        Path dir = tinyWith(o -> o.addProperty("dtype", "bfloat16"));
        assertThatThrownBy(() -> GlammModel.load(dir, Device.cpu()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("language_model.pt answered")
                .hasMessageContaining("float32 cache")
                .hasMessageContaining("glamm.json dtype bfloat16");
    }
}

package studio.grounding.worker.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tiny model and the Python reference fixtures live (src/test/resources/tiny-glamm). */
final class TinyGlamm {

    private TinyGlamm() {}

    static Path dir() {
        try {
            return Path.of(TinyGlamm.class.getResource("/tiny-glamm/glamm.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same tiny weights exported in bfloat16 ({@code export_glamm.py --tiny DIR --dtype bfloat16}). */
    static Path bf16Dir() {
        try {
            return Path.of(TinyGlamm.class.getResource("/tiny-glamm-bf16/glamm.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path reference(String name) {
        return dir().resolve("reference").resolve(name);
    }

    static JsonObject referenceJson() throws IOException {
        return JsonParser.parseString(Files.readString(reference("reference.json"))).getAsJsonObject();
    }
}

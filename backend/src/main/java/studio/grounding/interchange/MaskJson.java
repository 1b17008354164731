package studio.grounding.interchange;

import java.util.List;

import studio.grounding.annotation.MaskRle;
import tools.jackson.core.JsonGenerator;

/** Writes COCO RLE objects {@code {"size": [h, w], "counts": "..."}}. */
final class MaskJson {

    private MaskJson() {
    }

    static void writeMask(JsonGenerator gen, MaskRle m) {
        gen.writeStartObject();
        gen.writeName("size");
        gen.writeStartArray();
        gen.writeNumber(m.height());
        gen.writeNumber(m.width());
        gen.writeEndArray();
        gen.writeStringProperty("counts", m.counts());
        gen.writeEndObject();
    }

    static void writeMasks(JsonGenerator gen, List<MaskRle> masks) {
        gen.writeStartArray();
        for (MaskRle m : masks) {
            writeMask(gen, m);
        }
        gen.writeEndArray();
    }
}

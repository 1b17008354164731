package studio.grounding.annotation.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DomEvent;
import com.vaadin.flow.component.EventData;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.HasStyle;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.shared.Registration;
import java.util.List;

/**
 * Server side of {@code <mask-canvas>} ({@code mask-canvas.ts}): a photo with its instance masks, decoded from COCO
 * RLE strings in the browser. The masks travel as their compressed strings, so the page carries no bitmaps.
 */
@Tag("mask-canvas")
@JsModule("./mask-canvas.ts")
public class MaskCanvas extends Component implements HasSize, HasStyle {

    /** A mask to draw: {@code phraseIndex} is -1 for a mask without phrase. */
    public record Mask(int id, int phraseIndex, String counts, int height, int width) {
    }

    public void setSrc(String src) {
        getElement().setProperty("src", src);
    }

    public void setImageSize(int width, int height) {
        getElement().setProperty("imageWidth", width);
        getElement().setProperty("imageHeight", height);
    }

    public void setMasks(List<Mask> masks) {
        StringBuilder json = new StringBuilder("[");
        for (Mask m : masks) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"id\":").append(m.id()).append(",\"phraseIndex\":").append(m.phraseIndex())
                    .append(",\"height\":").append(m.height()).append(",\"width\":").append(m.width())
                    .append(",\"counts\":").append(jsonString(m.counts())).append('}');
        }
        getElement().setProperty("masksJson", json.append(']').toString());
    }

    public void setColors(List<String> colors) {
        StringBuilder json = new StringBuilder("[");
        for (String c : colors) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(jsonString(c));
        }
        getElement().setProperty("colorsJson", json.append(']').toString());
    }

    public void setUnlinkedColor(String color) {
        getElement().setProperty("unlinkedColor", color);
    }

    /** Opacity of the mask fills, 0 to 1. */
    public void setOpacity(double opacity) {
        getElement().setProperty("opacity", Math.max(0, Math.min(1, opacity)));
    }

    public double getOpacity() {
        return getElement().getProperty("opacity", 0.5);
    }

    /** The phrase whose masks stand out, -1 for none. */
    public void setHighlighted(int phraseIndex) {
        getElement().setProperty("highlighted", phraseIndex);
    }

    public int getHighlighted() {
        return getElement().getProperty("highlighted", -1);
    }

    public void setOutline(boolean outline) {
        getElement().setProperty("outline", outline);
    }

    public boolean isOutline() {
        return getElement().getProperty("outline", false);
    }

    public Registration addMaskClickListener(ComponentEventListener<MaskClickEvent> listener) {
        return addListener(MaskClickEvent.class, listener);
    }

    static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The user clicked a mask pixel (the topmost mask there). */
    @DomEvent("mask-click")
    public static class MaskClickEvent extends ComponentEvent<MaskCanvas> {
        private final int phraseIndex;
        private final int maskId;

        public MaskClickEvent(MaskCanvas source, boolean fromClient,
                              @EventData("event.detail.phraseIndex") int phraseIndex,
                              @EventData("event.detail.maskId") int maskId) {
            super(source, fromClient);
            this.phraseIndex = phraseIndex;
            this.maskId = maskId;
        }

        public int getPhraseIndex() {
            return phraseIndex;
        }

        public int getMaskId() {
            return maskId;
        }
    }
}

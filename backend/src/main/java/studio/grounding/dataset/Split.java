package studio.grounding.dataset;

import java.util.Locale;

/** The split an image belongs to. */
public enum Split {
    TRAIN, VAL, TEST;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Split fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

package studio.grounding.annotation;

import java.util.Locale;

/** Who made a revision: a file import, a model's pre-fill, or a person. */
public enum Origin {
    IMPORT, MODEL, HUMAN;

    String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Origin fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

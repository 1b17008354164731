package studio.grounding.annotation;

import java.time.Instant;

/** The answer to a draft save: the draft's new version and when it was stored. */
public record DraftSaved(long version, Instant savedAt) {
}

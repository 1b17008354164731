package studio.grounding.model;

import java.time.OffsetDateTime;

/** A model version whose output the platform stores, pre-fills with and scores. */
public record ModelVersion(long id, String name, String description, String modelDir, Long parentId,
                           OffsetDateTime createdAt) {
}

package studio.grounding.dataset;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "items")
class ItemEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "dataset_id", nullable = false)
    private Long datasetId;

    @Column(name = "image_id", nullable = false, unique = true)
    private Long imageId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ItemStatus status = ItemStatus.NEW;

    @Column(name = "latest_revision_id", insertable = false, updatable = false)
    private Long latestRevisionId;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt = OffsetDateTime.now();

    protected ItemEntity() {
    }

    ItemEntity(Long datasetId, Long imageId) {
        this.datasetId = datasetId;
        this.imageId = imageId;
    }

    Long id() {
        return id;
    }

    Long datasetId() {
        return datasetId;
    }

    Long imageId() {
        return imageId;
    }

    ItemStatus status() {
        return status;
    }

    void status(ItemStatus status) {
        this.status = status;
        this.updatedAt = OffsetDateTime.now();
    }

    Long latestRevisionId() {
        return latestRevisionId;
    }

    OffsetDateTime updatedAt() {
        return updatedAt;
    }
}

package studio.grounding.dataset;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "images")
class ImageEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "dataset_id", nullable = false)
    private Long datasetId;

    @Column(name = "file_name", nullable = false)
    private String fileName;

    @Column(name = "content_hash", nullable = false, columnDefinition = "bpchar(64)")
    private String contentHash;

    @Column(name = "media_type", nullable = false)
    private String mediaType;

    @Column(name = "byte_size", nullable = false)
    private long byteSize;

    @Column(nullable = false)
    private int width;

    @Column(nullable = false)
    private int height;

    private String source;

    @Column(nullable = false)
    private String split;

    protected ImageEntity() {
    }

    ImageEntity(Long datasetId, String fileName, StoredImage stored, String source, Split split) {
        this.datasetId = datasetId;
        this.fileName = fileName;
        this.contentHash = stored.contentHash();
        this.mediaType = stored.mediaType();
        this.byteSize = stored.byteSize();
        this.width = stored.width();
        this.height = stored.height();
        this.source = source;
        this.split = split.dbValue();
    }

    Long id() {
        return id;
    }

    ImageInfo toInfo() {
        return new ImageInfo(id, datasetId, fileName, contentHash, mediaType, byteSize, width, height, source,
                Split.fromDb(split));
    }
}

package studio.grounding.dataset;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface ImageRepository extends JpaRepository<ImageEntity, Long> {

    Optional<ImageEntity> findByDatasetIdAndFileName(Long datasetId, String fileName);
}

package studio.grounding.dataset;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface ItemRepository extends JpaRepository<ItemEntity, Long> {

    Optional<ItemEntity> findByImageId(Long imageId);
}

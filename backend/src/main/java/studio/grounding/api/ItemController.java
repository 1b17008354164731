package studio.grounding.api;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ItemInfo;

/** Items with their latest grounded caption, their revision history, and any earlier revision. */
@RestController
@RequestMapping("/api/v1")
class ItemController {

    private final DatasetService datasets;
    private final RevisionService revisions;

    ItemController(DatasetService datasets, RevisionService revisions) {
        this.datasets = datasets;
        this.revisions = revisions;
    }

    /** The item, its image metadata and its latest revision (null while it has none); 404 if unknown. */
    @GetMapping("/items/{id}")
    ApiJson.Item item(@PathVariable long id) {
        ItemInfo item = require(id);
        ApiJson.RevisionJson latest = revisions.latest(id).map(ApiJson.RevisionJson::of).orElse(null);
        return ApiJson.Item.of(item, datasets.get(item.datasetId()).name(), latest);
    }

    /** The item's revisions, newest first, without their content; 404 if the item is unknown. */
    @GetMapping("/items/{id}/history")
    List<ApiJson.HistoryEntry> history(@PathVariable long id) {
        require(id);
        return revisions.history(id).stream().map(ApiJson.HistoryEntry::of).toList();
    }

    /** Any revision, earlier ones included, with its full content; 404 if unknown. */
    @GetMapping("/revisions/{id}")
    ApiJson.RevisionJson revision(@PathVariable long id) {
        return revisions.get(id).map(ApiJson.RevisionJson::of)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No revision #" + id));
    }

    private ItemInfo require(long id) {
        return datasets.item(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No item #" + id));
    }
}

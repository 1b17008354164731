package studio.grounding.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemStatus;

/** Datasets with their progress, and their items page by page. */
@RestController
@RequestMapping("/api/v1/datasets")
class DatasetController {

    static final int MAX_PAGE_SIZE = 500;

    private final DatasetService datasets;

    DatasetController(DatasetService datasets) {
        this.datasets = datasets;
    }

    /** Every dataset, by name, with its item counts per status. */
    @GetMapping
    List<ApiJson.Dataset> list() {
        return datasets.list().stream().map(ApiJson.Dataset::of).toList();
    }

    /** One dataset by name; 404 if there is none. */
    @GetMapping("/{name}")
    ApiJson.Dataset get(@PathVariable String name) {
        return ApiJson.Dataset.of(datasets.require(name));
    }

    /**
     * A page of a dataset's items in id order.
     *
     * @param status only items in these statuses (repeat the parameter or separate by commas); all if absent
     * @param page   0-based page number
     * @param size   items per page, 1 to 500
     */
    @GetMapping("/{name}/items")
    ApiJson.ItemPage items(@PathVariable String name, @RequestParam(required = false) List<String> status,
                           @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "page must be 0 or more, was " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "size must be between 1 and " + MAX_PAGE_SIZE + ", was " + size);
        }
        long offset = (long) page * size;
        if (offset > Integer.MAX_VALUE) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "page " + page + " is out of range");
        }
        Set<ItemStatus> statuses = statuses(status);
        DatasetSummary dataset = datasets.require(name);
        List<ApiJson.Item> items = datasets.items(dataset.id(), statuses, (int) offset, size).stream()
                .map(item -> ApiJson.Item.of(item, dataset.name(), null)).toList();
        return new ApiJson.ItemPage(items, page, size, datasets.countItems(dataset.id(), statuses));
    }

    static Set<ItemStatus> statuses(List<String> values) {
        Set<ItemStatus> statuses = EnumSet.noneOf(ItemStatus.class);
        if (values == null) {
            return statuses;
        }
        List<String> unknown = new ArrayList<>();
        for (String value : values) {
            String name = value.strip().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                statuses.add(ItemStatus.valueOf(name));
            } catch (IllegalArgumentException e) {
                unknown.add(value.strip());
            }
        }
        if (!unknown.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Unknown status " + unknown
                    + ": use " + Arrays.toString(ItemStatus.values()));
        }
        return statuses;
    }
}

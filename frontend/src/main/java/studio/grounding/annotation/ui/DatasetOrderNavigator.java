package studio.grounding.annotation.ui;

import java.util.List;
import java.util.Optional;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ItemInfo;

/**
 * The fallback {@link ItemNavigator}: the item after / before this one in its dataset, in id order. Reads the
 * dataset's items page by page up to the item, so it suits datasets of demo to medium size; a work queue bean
 * replaces it.
 */
final class DatasetOrderNavigator implements ItemNavigator {

    private static final int PAGE = 1000;

    private final DatasetService datasets;

    DatasetOrderNavigator(DatasetService datasets) {
        this.datasets = datasets;
    }

    @Override
    public Optional<Long> next(long itemId, String user) {
        return neighbour(itemId, 1);
    }

    @Override
    public Optional<Long> previous(long itemId, String user) {
        return neighbour(itemId, -1);
    }

    private Optional<Long> neighbour(long itemId, int step) {
        Optional<ItemInfo> item = datasets.item(itemId);
        if (item.isEmpty()) {
            return Optional.empty();
        }
        long dataset = item.get().datasetId();
        Long before = null;
        for (int offset = 0; ; offset += PAGE) {
            List<ItemInfo> page = datasets.items(dataset, List.of(), offset, PAGE);
            for (int i = 0; i < page.size(); i++) {
                if (page.get(i).id() == itemId) {
                    if (step < 0) {
                        return Optional.ofNullable(before);
                    }
                    if (i + 1 < page.size()) {
                        return Optional.of(page.get(i + 1).id());
                    }
                    List<ItemInfo> following = datasets.items(dataset, List.of(), offset + PAGE, 1);
                    return following.stream().findFirst().map(ItemInfo::id);
                }
                before = page.get(i).id();
            }
            if (page.size() < PAGE) {
                return Optional.empty();
            }
        }
    }
}

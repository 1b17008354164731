package studio.grounding.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How much human work a model version's pre-fills needed on a dataset: per item and aggregated. Computed on demand
 * from the revision history (ADR 0008).
 *
 * @param items             items with the model version's pre-fill and a later human revision, now SUBMITTED or
 *                          ACCEPTED
 * @param activeTimeItems   items whose time is the editor's active time
 * @param wallTimeItems     items whose time is wall time from the pre-fill to the first human revision
 * @param perItem           the items, in item order
 */
public record CorrectionEffort(String modelVersion, String dataset, int items, int activeTimeItems,
                               int wallTimeItems, Aggregate captionCharEdits, Aggregate captionWordEdits,
                               Aggregate phrasesAdded, Aggregate phrasesRemoved, Aggregate phrasesRespanned,
                               Aggregate masksRedrawn, Aggregate meanMaskIou, Aggregate seconds,
                               List<ItemEffort> perItem) {

    public CorrectionEffort {
        perItem = List.copyOf(perItem);
    }

    /**
     * Mean, median and total of one number over the items that have it ({@code n} of them); all 0 when none has.
     */
    public record Aggregate(int n, double mean, double median, double total) {

        static Aggregate of(List<ItemEffort> items, Function<ItemEffort, ? extends Number> value) {
            double[] v = items.stream().map(value).filter(Objects::nonNull).mapToDouble(Number::doubleValue)
                    .sorted().toArray();
            if (v.length == 0) {
                return new Aggregate(0, 0, 0, 0);
            }
            double total = Arrays.stream(v).sum();
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Aggregate(v.length, total / v.length, median, total);
        }
    }

    static CorrectionEffort of(String modelVersion, String dataset, List<ItemEffort> items) {
        List<ItemEffort> list = new ArrayList<>(items);
        int active = (int) list.stream().filter(i -> "active".equals(i.timeSource())).count();
        int wall = (int) list.stream().filter(i -> "wall".equals(i.timeSource())).count();
        return new CorrectionEffort(modelVersion, dataset, list.size(), active, wall,
                Aggregate.of(list, ItemEffort::captionCharEdits), Aggregate.of(list, ItemEffort::captionWordEdits),
                Aggregate.of(list, ItemEffort::phrasesAdded), Aggregate.of(list, ItemEffort::phrasesRemoved),
                Aggregate.of(list, ItemEffort::phrasesRespanned), Aggregate.of(list, ItemEffort::masksRedrawn),
                Aggregate.of(list, ItemEffort::meanMaskIou), Aggregate.of(list, ItemEffort::seconds), list);
    }
}

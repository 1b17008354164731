package studio.grounding.evaluation;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ground truth without a snapshot: the dataset's items in status ACCEPTED whose image is in split {@code test}, each
 * with its latest HUMAN revision. An accepted item without any human revision (accepted as imported) is left out
 * and reported. ({@link SnapshotTestSplit} reads a snapshot instead.)
 */
@Component
class AcceptedTestSplit implements GroundTruthSource {

    private final JdbcClient jdbc;

    AcceptedTestSplit(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(readOnly = true)
    public GroundTruth load(long datasetId, String datasetName, Integer snapshotNumber) {
        if (snapshotNumber != null) {
            throw new IllegalArgumentException("snapshot: the current accepted items are not a snapshot");
        }
        List<GroundTruthItem> items = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        jdbc.sql("""
                        select it.id as item_id, im.file_name,
                          (select r.id from caption_revisions r where r.item_id = it.id and r.origin = 'human'
                           order by r.id desc limit 1) as revision_id
                        from items it join images im on im.id = it.image_id
                        where it.dataset_id = :ds and it.status = 'ACCEPTED' and im.split = 'test'
                        order by it.id""")
                .param("ds", datasetId)
                .query((ResultSet rs) -> {
                    long revision = rs.getLong("revision_id");
                    if (rs.wasNull()) {
                        skipped.add(rs.getString("file_name") + ": accepted without a human revision");
                    } else {
                        items.add(new GroundTruthItem(rs.getLong("item_id"), revision, rs.getString("file_name")));
                    }
                });
        return new GroundTruth(null, null, items, skipped);
    }
}

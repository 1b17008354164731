package studio.grounding.model;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.text.StoredText;

/** The registry of model versions. */
@Service
public class ModelVersionService {

    private final JdbcClient jdbc;

    ModelVersionService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The model version of that name, registered if new. */
    @Transactional
    public ModelVersion getOrCreate(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A model version needs a name");
        }
        String trimmed = StoredText.require("name", name.strip());
        jdbc.sql("insert into model_versions (name) values (:name) on conflict (name) do nothing")
                .param("name", trimmed).update();
        return find(trimmed).orElseThrow();
    }

    /**
     * Registers a new model version, e.g. one a finetuning run produced.
     *
     * @param modelDir the model directory the inference worker loads
     * @param parentId the model version it was derived from, or null
     * @throws IllegalArgumentException if the name is taken or the parent unknown
     */
    @Transactional
    public ModelVersion register(String name, String description, String modelDir, Long parentId) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A model version needs a name");
        }
        String trimmed = StoredText.require("name", name.strip());
        if (parentId != null && get(parentId).isEmpty()) {
            throw new IllegalArgumentException("No model version #" + parentId);
        }
        int inserted = jdbc.sql("""
                        insert into model_versions (name, description, model_dir, parent_id)
                        values (:name, :description, :dir, :parent) on conflict (name) do nothing""")
                .param("name", trimmed).param("description", description).param("dir", modelDir)
                .param("parent", parentId).update();
        if (inserted == 0) {
            throw new IllegalArgumentException("A model version named \"" + trimmed + "\" already exists");
        }
        return find(trimmed).orElseThrow();
    }

    @Transactional(readOnly = true)
    public Optional<ModelVersion> find(String name) {
        return jdbc.sql("select * from model_versions where name = :name").param("name", name)
                .query(ModelVersionService::of).optional();
    }

    @Transactional(readOnly = true)
    public Optional<ModelVersion> get(long id) {
        return jdbc.sql("select * from model_versions where id = :id").param("id", id)
                .query(ModelVersionService::of).optional();
    }

    @Transactional(readOnly = true)
    public List<ModelVersion> list() {
        return jdbc.sql("select * from model_versions order by created_at, id").query(ModelVersionService::of).list();
    }

    private static ModelVersion of(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        long parent = rs.getLong("parent_id");
        return new ModelVersion(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("model_dir"), rs.wasNull() ? null : parent, rs.getObject("created_at", OffsetDateTime.class));
    }
}

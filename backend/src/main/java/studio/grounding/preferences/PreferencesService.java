package studio.grounding.preferences;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each user's preferences, by name (e.g. {@code editor.keymap}): a small JSON object per user and name, replaced as a
 * whole. The caller passes the signed-in user: a user reads and writes only their own.
 */
@Service
public class PreferencesService {

    /** the editor's key bindings (grounding-editor.ts, editor/keymap.ts) */
    public static final String EDITOR_KEYMAP = "editor.keymap";
    /** the most bytes one preference may hold */
    public static final int MAX_BYTES = 16 * 1024;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9.-]{0,63}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    PreferencesService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The user's preference as JSON, if they stored one. */
    @Transactional(readOnly = true)
    public Optional<String> get(String user, String name) {
        requireName(name);
        return jdbc.sql("select value::text from user_preferences where username = :user and name = :name")
                .param("user", user).param("name", name).query(String.class).optional();
    }

    /**
     * Stores the user's preference (replacing what was there).
     *
     * @throws IllegalArgumentException naming the problem, for a bad name or a value that is not a JSON object of at
     *                                  most {@link #MAX_BYTES} bytes; nothing is stored then
     */
    @Transactional
    public void put(String user, String name, String jsonObject) {
        requireName(name);
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user: a preference belongs to a user");
        }
        if (jsonObject == null || jsonObject.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException(name + ": at most " + MAX_BYTES + " bytes of JSON");
        }
        JsonNode value;
        try {
            value = JSON.readTree(jsonObject);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(name + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException(name + ": must be a JSON object");
        }
        jdbc.sql("""
                        insert into user_preferences (username, name, value) values (:user, :name, cast(:value as jsonb))
                        on conflict (username, name) do update set value = excluded.value, updated_at = now()""")
                .param("user", user).param("name", name).param("value", JSON.writeValueAsString(value)).update();
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: \"" + name + "\" is not a preference name (a-z, 0-9, . and -)");
        }
    }
}

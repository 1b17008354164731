package studio.grounding.preferences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import studio.grounding.StudioIntegrationTest;

/** Preferences are per user and name, replaced as a whole; bad input is refused naming it, nothing stored. */
@StudioIntegrationTest
class PreferencesServiceTest {

    @Autowired
    PreferencesService preferences;

    @Test
    void eachUserHasTheirOwnAndAPutReplacesIt() {
        String ann = "ann-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        assertThat(preferences.get(ann, PreferencesService.EDITOR_KEYMAP)).isEmpty();

        preferences.put(ann, PreferencesService.EDITOR_KEYMAP, "{\"brush\":[\"G\"]}");
        preferences.put(bob, PreferencesService.EDITOR_KEYMAP, "{\"wand\":[\"Q\"]}");
        preferences.put(ann, PreferencesService.EDITOR_KEYMAP, "{\"brush\": [\"K\"]}");

        assertThat(preferences.get(ann, PreferencesService.EDITOR_KEYMAP)).contains("{\"brush\": [\"K\"]}");
        assertThat(preferences.get(bob, PreferencesService.EDITOR_KEYMAP)).contains("{\"wand\": [\"Q\"]}");
    }

    @Test
    void badNamesAndValuesAreRefusedAndNothingIsStored() {
        String ann = "ann-" + UUID.randomUUID();
        assertThatThrownBy(() -> preferences.put(ann, "Editor Keymap", "{}")).hasMessageContaining("name:");
        assertThatThrownBy(() -> preferences.put(ann, "editor.keymap", "[1]"))
                .hasMessageContaining("editor.keymap: must be a JSON object");
        assertThatThrownBy(() -> preferences.put(ann, "editor.keymap", "{\"a\":"))
                .hasMessageContaining("editor.keymap: not valid JSON");
        assertThatThrownBy(() -> preferences.put(ann, "editor.keymap", "{\"a\":\"" + "x".repeat(20_000) + "\"}"))
                .hasMessageContaining("at most");
        assertThat(preferences.get(ann, "editor.keymap")).isEmpty();
    }
}
